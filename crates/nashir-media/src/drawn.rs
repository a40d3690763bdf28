//! Photos the project draws itself, for the demo site and the tests: a gradient with a red
//! block at the top left (so a rotation shows), saved as a JPEG whose EXIF carries a camera
//! make and model, an orientation and the GPS position of Baghdad — what a phone would
//! write, and what the library must strip.

use image::{ExtendedColorType, ImageEncoder};

/// A drawn photo: a gradient with a red block at the top left (to tell rotations apart).
pub fn drawing(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        if x < width / 4 && y < height / 4 { image::Rgb([220, 20, 20]) } else { image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 120]) }
    })
}

/// EXIF (TIFF, little-endian) with Make, Model, Orientation and a GPS IFD.
pub fn exif_with_gps(orientation: u16) -> Vec<u8> {
    // Offsets are from the start of the TIFF header.
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    let make = b"NashirCam\0";
    let model = b"Field 1\0";
    // IFD0: 4 entries at 8; data after it.
    let ifd0_len = 2 + 4 * 12 + 4;
    let data_at = 8 + ifd0_len;
    let make_at = data_at;
    let model_at = make_at + make.len();
    let gps_at = model_at + model.len();
    let entry = |tag: u16, typ: u16, count: u32, value: u32| {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend(typ.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value.to_le_bytes());
        e
    };
    t.extend(4u16.to_le_bytes());
    t.extend(entry(0x010F, 2, make.len() as u32, make_at as u32));
    t.extend(entry(0x0110, 2, model.len() as u32, model_at as u32));
    t.extend(entry(0x0112, 3, 1, u32::from(orientation)));
    t.extend(entry(0x8825, 4, 1, gps_at as u32));
    t.extend(0u32.to_le_bytes());
    t.extend(make);
    t.extend(model);
    // GPS IFD: latitude ref, latitude, longitude ref, longitude (Baghdad).
    let gps_len = 2 + 4 * 12 + 4;
    let lat_at = gps_at + gps_len;
    let lon_at = lat_at + 24;
    t.extend(4u16.to_le_bytes());
    t.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    t.extend(entry(0x0002, 5, 3, lat_at as u32));
    t.extend(entry(0x0003, 2, 2, u32::from_le_bytes(*b"E\0\0\0")));
    t.extend(entry(0x0004, 5, 3, lon_at as u32));
    t.extend(0u32.to_le_bytes());
    for (num, den) in [(33u32, 1u32), (18, 1), (5400, 100), (44, 1), (21, 1), (3600, 100)] {
        t.extend(num.to_le_bytes());
        t.extend(den.to_le_bytes());
    }
    t
}

/// A JPEG of a drawing, carrying `exif_with_gps`.
pub fn jpeg_with_gps(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let img = drawing(width, height);
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    enc.set_exif_metadata(exif_with_gps(orientation)).expect("exif");
    enc.write_image(img.as_raw(), width, height, ExtendedColorType::Rgb8).expect("jpeg");
    out
}

