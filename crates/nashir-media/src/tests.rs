//! Fixtures are made here: photos drawn in memory, a JPEG given camera and GPS EXIF by a
//! small TIFF writer, a rotated phone photo, a bomb's header, HTML named `.jpg`.

use super::*;

use crate::drawn::jpeg_with_gps;

fn exif_fields(bytes: &[u8]) -> Vec<String> {
    match exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) {
        Ok(e) => e.fields().map(|f| format!("{}", f.tag)).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn the_fixture_really_carries_gps_and_camera_fields() {
    let fields = exif_fields(&jpeg_with_gps(64, 48, 1));
    for want in ["Make", "Model", "GPSLatitude", "GPSLongitude"] {
        assert!(fields.iter().any(|f| f == want), "{want} in {fields:?}");
    }
}

#[test]
fn no_variant_of_a_gps_photo_carries_exif_and_none_is_upscaled() {
    let original = jpeg_with_gps(1000, 600, 1);
    let prepared = prepare(&original, &Limits::default()).expect("prepare");
    let all = variants(&prepared, 82).expect("variants");
    let widths: Vec<(Option<u32>, Format)> = all.iter().map(|v| (v.target_width, v.format)).collect();
    assert_eq!(
        widths,
        vec![
            (None, Format::Jpeg),
            (None, Format::Webp),
            (Some(320), Format::Jpeg),
            (Some(320), Format::Webp),
            (Some(640), Format::Jpeg),
            (Some(640), Format::Webp),
            (Some(960), Format::Jpeg),
            (Some(960), Format::Webp),
        ],
        "no variant wider than the photo"
    );
    for v in &all {
        assert!(exif_fields(&v.bytes).is_empty(), "{:?} {:?} carries EXIF", v.target_width, v.format);
        assert!(!v.bytes.windows(4).any(|w| w == b"Exif" || w == b"GPS\0" || w == b"http" || w == b"ICC_"), "no metadata block");
        assert_eq!(sniff(&v.bytes).expect("sniff"), v.format);
        let back = image::load_from_memory(&v.bytes).expect("decodes");
        assert_eq!((back.width(), back.height()), (v.width, v.height));
        if let Some(w) = v.target_width {
            assert_eq!(v.width, w);
            assert_eq!(v.height, scaled_height(1000, 600, w));
        }
    }
    let webp = all.iter().find(|v| v.format == Format::Webp && v.target_width == Some(640)).expect("webp");
    let jpeg = all.iter().find(|v| v.format == Format::Jpeg && v.target_width == Some(640)).expect("jpeg");
    assert!(webp.bytes.len() < jpeg.bytes.len() * 2, "lossy WebP, not lossless");
}

#[test]
fn inspection_knows_the_upright_size_without_decoding() {
    assert_eq!(inspect(&jpeg_with_gps(80, 40, 6), &Limits::default()).expect("inspect"), (Format::Jpeg, 40, 80));
    assert_eq!(inspect(&jpeg_with_gps(80, 40, 1), &Limits::default()).expect("inspect"), (Format::Jpeg, 80, 40));
    let prepared = prepare(&jpeg_with_gps(1000, 600, 1), &Limits::default()).expect("prepare");
    assert_eq!(plan(&prepared).len(), plan_len(Format::Jpeg, 1000));
    assert_eq!(plan_len(Format::Webp, 2000), 6);
}

#[test]
fn a_rotated_phone_photo_is_stored_upright() {
    // Stored landscape 80×40, EXIF says "rotate 90° clockwise" (6): upright it is 40×80
    // with the red block moved to the top right.
    let prepared = prepare(&jpeg_with_gps(80, 40, 6), &Limits::default()).expect("prepare");
    assert_eq!((prepared.width(), prepared.height()), (40, 80));
    let v = render(&prepared, None, Format::Png, 90).expect("png");
    let img = image::load_from_memory(&v.bytes).expect("png").to_rgb8();
    let top_right = img.get_pixel(36, 2);
    let top_left = img.get_pixel(2, 2);
    assert!(top_right[0] > 180 && top_right[1] < 80, "red block at the top right: {top_right:?}");
    assert!(top_left[0] < 180 || top_left[1] > 80, "not at the top left: {top_left:?}");
}

#[test]
fn each_format_is_taken_and_written_back_in_it() {
    let img = DynamicImage::ImageRgba8(image::RgbaImage::from_fn(700, 400, |x, y| image::Rgba([x as u8, y as u8, 90, if x < 10 { 0 } else { 255 }])));
    for format in [Format::Png, Format::Gif, Format::Webp, Format::Jpeg] {
        let mut bytes = Vec::new();
        let source = if format == Format::Jpeg { DynamicImage::ImageRgb8(img.to_rgb8()) } else { img.clone() };
        source.write_to(&mut Cursor::new(&mut bytes), format.image_format()).expect("fixture");
        assert_eq!(sniff(&bytes).expect("sniff"), format);
        let prepared = prepare(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        let all = variants(&prepared, 80).expect("variants");
        assert!(all.iter().any(|v| v.format == format && v.target_width == Some(640)), "{format:?}");
        assert!(all.iter().any(|v| v.format == Format::Webp && v.target_width == Some(320)), "{format:?}");
        assert!(all.iter().all(|v| v.width <= 700));
    }
}

#[test]
fn what_is_not_an_image_is_refused_by_its_content() {
    for fake in [&b"<!doctype html><script>alert(1)</script>"[..], b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", b"%PDF-1.7", b""] {
        assert!(matches!(sniff(fake), Err(MediaError::NotAnImage)));
        assert!(matches!(prepare(fake, &Limits::default()), Err(MediaError::NotAnImage)));
    }
    let mut avif = vec![0, 0, 0, 28];
    avif.extend(b"ftypavif");
    avif.extend([0; 16]);
    assert!(matches!(sniff(&avif), Err(MediaError::Unsupported("AVIF"))));
    let mut heic = vec![0, 0, 0, 24];
    heic.extend(b"ftypheic");
    heic.extend([0; 12]);
    assert!(matches!(sniff(&heic), Err(MediaError::Unsupported("HEIC"))));
    // A JPEG cut short.
    let jpeg = jpeg_with_gps(64, 64, 1);
    assert!(matches!(prepare(&jpeg[..jpeg.len() / 3], &Limits::default()), Err(MediaError::Corrupt(_))));
}

#[test]
fn a_decompression_bomb_is_refused_before_it_is_decoded() {
    // A PNG header claiming 100,000 × 100,000 pixels (10 gigapixels), and a tiny body.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    // A few compressed bytes of image data and the end: the whole file is 70 bytes.
    for (kind, data) in [(&b"IDAT"[..], &[0x78u8, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01][..]), (b"IEND", &[][..])] {
        let mut chunk = kind.to_vec();
        chunk.extend(data);
        png.extend((data.len() as u32).to_be_bytes());
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    match prepare(&png, &Limits::default()) {
        Err(MediaError::TooManyPixels { width: 100_000, height: 100_000, .. }) => {}
        other => panic!("{:?}", other.err()),
    }
    let too_big = vec![0u8; 2048];
    assert!(matches!(prepare(&too_big, &Limits { max_bytes: 1024, max_pixels: 10 }), Err(MediaError::TooLarge { .. })));
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
