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


/// A drawn street scene for the demo: a sky whose colours depend on `seed`, a sun, a river
/// and a skyline; no two seeds look alike.
pub fn scene(width: u32, height: u32, seed: u32) -> image::RgbImage {
    let hue = |n: u32| -> [u8; 3] {
        let h = (seed.wrapping_mul(2_654_435_761).wrapping_add(n * 97)) % 360;
        let (r, g, b) = match h / 60 {
            0 => (255, h * 255 / 60, 0),
            1 => (255 - (h - 60) * 255 / 60, 255, 0),
            2 => (0, 255, (h - 120) * 255 / 60),
            3 => (0, 255 - (h - 180) * 255 / 60, 255),
            4 => ((h - 240) * 255 / 60, 0, 255),
            _ => (255, 0, 255 - (h - 300) * 255 / 60),
        };
        [(r / 2 + 100) as u8, (g / 2 + 90) as u8, (b / 2 + 110) as u8]
    };
    let (top, bottom) = (hue(0), hue(1));
    let horizon = height * 3 / 5;
    let sun = (width * (2 + seed % 5) / 8, height / 4, height / 9);
    let towers: Vec<(u32, u32, u32)> = (0..7).map(|i| {
        let x = width * i / 7;
        let w = width / 9 + (seed * (i + 3)) % (width / 14).max(1);
        let h = height / 6 + (seed * 7 + i * 31) % (height / 4).max(1);
        (x, w, h)
    }).collect();
    image::RgbImage::from_fn(width, height, |x, y| {
        if y >= horizon {
            // The river: darker with depth, a band of light under the sun.
            let depth = (y - horizon) * 100 / (height - horizon).max(1);
            let glint = if x.abs_diff(sun.0) < sun.2 && (y / 3) % 2 == 0 { 60 } else { 0 };
            return image::Rgb([(40 + glint) as u8, (70 + glint - depth / 3) as u8, (110 + glint - depth / 2) as u8]);
        }
        if towers.iter().any(|&(tx, tw, th)| x >= tx && x < tx + tw && y >= horizon - th) {
            let lit = (x / 6 + y / 9) % 5 == 0;
            return if lit { image::Rgb([240, 210, 120]) } else { image::Rgb([35, 38, 52]) };
        }
        let (dx, dy) = (x.abs_diff(sun.0), y.abs_diff(sun.1));
        if dx * dx + dy * dy < sun.2 * sun.2 {
            return image::Rgb([255, 236, 180]);
        }
        let t = y * 255 / horizon.max(1);
        let mix = |a: u8, b: u8| ((u32::from(a) * (255 - t) + u32::from(b) * t) / 255) as u8;
        image::Rgb([mix(top[0], bottom[0]), mix(top[1], bottom[1]), mix(top[2], bottom[2])])
    })
}

/// `scene` as a JPEG with a phone's EXIF (camera, GPS) in it.
pub fn scene_jpeg_with_gps(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let img = scene(width, height, seed);
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88);
    // The encoder takes EXIF for JPEG; a failure would only leave the metadata out.
    let _ = enc.set_exif_metadata(exif_with_gps(1));
    if enc.write_image(img.as_raw(), width, height, ExtendedColorType::Rgb8).is_err() {
        out.clear();
    }
    out
}
