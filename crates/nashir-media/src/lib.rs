//! Photos as a newsroom receives them and readers get them.
//!
//! - The type is decided from the first bytes of the file, never from its name or the type
//!   the browser declared: JPEG, PNG, GIF and WebP are taken; AVIF and HEIC are recognized
//!   and refused with their own message (no maintained pure-Rust decoder exists on
//!   crates.io; the `dav1d` and `libheif-rs` bindings need C libraries the server would
//!   have to carry); anything else (HTML, SVG, a PDF named `.jpg`) is not an image.
//! - Size and pixel limits are checked before decoding (the dimensions come from the
//!   header), and the decoder runs under an allocation limit, so a decompression bomb is
//!   refused without the memory it asks for.
//! - The EXIF orientation is applied, a colour profile is converted to sRGB (by `moxcms`),
//!   and every file written is encoded afresh from pixels: no EXIF, GPS, XMP, IPTC, maker
//!   notes, embedded thumbnails or ICC profile survive in any variant, the original included.
//! - Variants 320, 640, 960, 1280 and 1920 px wide (never wider than the photo), each in the
//!   original format and in lossy WebP (libwebp through the `webp` crate: the `image` crate
//!   writes only lossless WebP), resized by `fast_image_resize` with a Catmull-Rom filter.
//!
//! An animated GIF keeps its first frame.

use std::io::Cursor;

use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};

/// Widths of the responsive variants, in pixels.
pub const WIDTHS: [u32; 5] = [320, 640, 960, 1280, 1920];

/// The formats taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl Format {
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
        }
    }

    /// The name the media library stores: `jpeg`, `png`, `gif`, `webp`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
        }
    }

    /// The format a stored name or a file extension names (`jpeg` and `jpg` alike).
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "gif" => Some(Format::Gif),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::Gif => ImageFormat::Gif,
            Format::Webp => ImageFormat::WebP,
        }
    }
}

/// The name a photo's files are known by: the hex SHA-256 of the uploaded bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// What an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Most pixels (width × height).
    pub max_pixels: u64,
}

impl Default for Limits {
    /// 30 MB and 60 megapixels: a full-frame camera's JPEG fits, a bomb does not.
    fn default() -> Self {
        Limits { max_bytes: 30 * 1024 * 1024, max_pixels: 60_000_000 }
    }
}

/// Why a file is refused; `code()` is stable, the web layer words it in Arabic.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("the file has {size} bytes, more than the limit of {max}")]
    TooLarge { size: usize, max: usize },
    #[error("the image has {width}×{height} pixels, more than the limit of {max}")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("the file is not a JPEG, PNG, GIF or WebP image")]
    NotAnImage,
    #[error("{0} images are not taken")]
    Unsupported(&'static str),
    #[error("the image cannot be read: {0}")]
    Corrupt(String),
    #[error("the image cannot be written: {0}")]
    Encode(String),
}

impl MediaError {
    pub fn code(&self) -> &'static str {
        match self {
            MediaError::TooLarge { .. } => "media.too_large",
            MediaError::TooManyPixels { .. } => "media.too_many_pixels",
            MediaError::NotAnImage => "media.not_an_image",
            MediaError::Unsupported(_) => "media.unsupported",
            MediaError::Corrupt(_) => "media.corrupt",
            MediaError::Encode(_) => "media.encode",
        }
    }
}

/// The format of a file, from its first bytes alone.
pub fn sniff(bytes: &[u8]) -> Result<Format, MediaError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok(Format::Gif);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(Format::Webp);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        if brand == b"avif" || brand == b"avis" {
            return Err(MediaError::Unsupported("AVIF"));
        }
        if [b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"].iter().any(|b| brand == *b) {
            return Err(MediaError::Unsupported("HEIC"));
        }
    }
    Err(MediaError::NotAnImage)
}

/// A photo decoded, turned upright and in sRGB, ready to be written in any size.
pub struct Prepared {
    pub format: Format,
    /// Upright pixels: RGB8, or RGBA8 when the photo has transparency.
    image: DynamicImage,
}

impl Prepared {
    pub fn width(&self) -> u32 {
        self.image.width()
    }
    pub fn height(&self) -> u32 {
        self.image.height()
    }
    /// Whether the photo has transparency (kept in PNG, GIF and WebP).
    pub fn has_alpha(&self) -> bool {
        self.image.color().has_alpha()
    }
}

/// Bytes the decoder may allocate for an image of `pixels`: its RGBA buffer twice over
/// (a conversion), plus slack for the decoder's own tables.
fn alloc_limit(pixels: u64) -> u64 {
    pixels.saturating_mul(8).saturating_add(64 * 1024 * 1024)
}

fn reader(bytes: &[u8], format: Format) -> ImageReader<Cursor<&[u8]>> {
    let mut r = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    r.no_limits();
    r
}

/// What an upload is, without decoding its pixels: its format and upright size, the size
/// and pixel limits checked. Cheap enough for the request path; `prepare` does the rest.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<(Format, u32, u32), MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge { size: bytes.len(), max: limits.max_bytes });
    }
    let format = sniff(bytes)?;
    let mut decoder = reader(bytes, format).into_decoder().map_err(|e| MediaError::Corrupt(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > limits.max_pixels || width == 0 || height == 0 {
        return Err(MediaError::TooManyPixels { width, height, max: limits.max_pixels });
    }
    use image::metadata::Orientation::*;
    let turned = matches!(decoder.orientation(), Ok(Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH));
    Ok(if turned { (format, height, width) } else { (format, width, height) })
}

/// How many files `plan` makes for a photo of this format and upright width.
pub fn plan_len(format: Format, width: u32) -> usize {
    let per_size = if format == Format::Webp { 1 } else { 2 };
    per_size * (1 + WIDTHS.iter().filter(|w| **w < width).count())
}

/// Decodes an upload within `limits`: the checks above, the orientation applied, the
/// colour profile converted to sRGB, 8 bits per channel.
pub fn prepare(bytes: &[u8], limits: &Limits) -> Result<Prepared, MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge { size: bytes.len(), max: limits.max_bytes });
    }
    let format = sniff(bytes)?;
    let (width, height) = reader(bytes, format).into_dimensions().map_err(|e| MediaError::Corrupt(e.to_string()))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels || width == 0 || height == 0 {
        return Err(MediaError::TooManyPixels { width, height, max: limits.max_pixels });
    }
    let mut r = reader(bytes, format);
    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(width);
    image_limits.max_image_height = Some(height);
    image_limits.max_alloc = Some(alloc_limit(pixels));
    r.limits(image_limits);
    let mut decoder = r.into_decoder().map_err(|e| MediaError::Corrupt(e.to_string()))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| MediaError::Corrupt(e.to_string()))?;
    image.apply_orientation(orientation);
    let image = if image.color().has_alpha() { DynamicImage::ImageRgba8(image.to_rgba8()) } else { DynamicImage::ImageRgb8(image.to_rgb8()) };
    let image = match icc {
        Some(profile) => to_srgb(image, &profile),
        None => image,
    };
    Ok(Prepared { format, image })
}

/// Converts pixels described by an ICC profile to sRGB; a profile that cannot be read (or
/// is sRGB already) leaves them as they are.
fn to_srgb(image: DynamicImage, icc: &[u8]) -> DynamicImage {
    let Ok(source) = moxcms::ColorProfile::new_from_slice(icc) else { return image };
    let srgb = moxcms::ColorProfile::new_srgb();
    let layout = if image.color().has_alpha() { moxcms::Layout::Rgba } else { moxcms::Layout::Rgb };
    let Ok(transform) = source.create_transform_8bit(layout, &srgb, layout, moxcms::TransformOptions::default()) else { return image };
    match image {
        DynamicImage::ImageRgba8(mut px) => {
            let src = px.as_raw().clone();
            if transform.transform(&src, &mut px).is_ok() { DynamicImage::ImageRgba8(px) } else { DynamicImage::ImageRgba8(image::RgbaImage::from_raw(px.width(), px.height(), src).unwrap_or(px)) }
        }
        DynamicImage::ImageRgb8(mut px) => {
            let src = px.as_raw().clone();
            if transform.transform(&src, &mut px).is_ok() { DynamicImage::ImageRgb8(px) } else { DynamicImage::ImageRgb8(image::RgbImage::from_raw(px.width(), px.height(), src).unwrap_or(px)) }
        }
        other => other,
    }
}

/// One file to store.
#[derive(Debug, Clone)]
pub struct Variant {
    /// None for the original (at its own size).
    pub target_width: Option<u32>,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// What `variants` writes: the original at its size in its format, and for each width
/// below it the photo in its format and in WebP (and WebP at the original size).
pub fn plan(prepared: &Prepared) -> Vec<(Option<u32>, Format)> {
    plan_for(prepared.format, prepared.width())
}

/// `plan` for a photo of this format and upright width.
pub fn plan_for(format: Format, width: u32) -> Vec<(Option<u32>, Format)> {
    let prepared = PlanOf { format, width };
    let mut plan = vec![(None, prepared.format)];
    if prepared.format != Format::Webp {
        plan.push((None, Format::Webp));
    }
    for w in WIDTHS.iter().copied().filter(|w| *w < prepared.width) {
        plan.push((Some(w), prepared.format));
        if prepared.format != Format::Webp {
            plan.push((Some(w), Format::Webp));
        }
    }
    plan
}

struct PlanOf {
    format: Format,
    width: u32,
}

/// Writes one planned file: resized (when a width is given) and encoded with `quality`
/// (1–100, for JPEG and WebP).
pub fn render(prepared: &Prepared, target_width: Option<u32>, format: Format, quality: u8) -> Result<Variant, MediaError> {
    let resized;
    let image = match target_width {
        Some(w) if w < prepared.width() => {
            resized = resize(&prepared.image, w)?;
            &resized
        }
        _ => &prepared.image,
    };
    let bytes = encode(image, format, quality)?;
    Ok(Variant { target_width, width: image.width(), height: image.height(), format, bytes })
}

/// Every file of a photo (see `plan`).
pub fn variants(prepared: &Prepared, quality: u8) -> Result<Vec<Variant>, MediaError> {
    plan(prepared).into_iter().map(|(w, f)| render(prepared, w, f, quality)).collect()
}

/// The height of a photo `width` wide, keeping its proportions (at least one pixel).
pub fn scaled_height(width: u32, height: u32, to_width: u32) -> u32 {
    let h = (u64::from(height) * u64::from(to_width) + u64::from(width) / 2) / u64::from(width.max(1));
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

fn resize(image: &DynamicImage, width: u32) -> Result<DynamicImage, MediaError> {
    let height = scaled_height(image.width(), image.height(), width);
    let converted;
    // The photo's own pixels are read in place (a 24-megapixel photo is 72 MB).
    let (pixel_type, raw): (PixelType, &[u8]) = match image {
        DynamicImage::ImageRgba8(px) => (PixelType::U8x4, px.as_raw()),
        DynamicImage::ImageRgb8(px) => (PixelType::U8x3, px.as_raw()),
        other => {
            converted = other.to_rgba8();
            (PixelType::U8x4, converted.as_raw())
        }
    };
    let src = ImageRef::new(image.width(), image.height(), raw, pixel_type).map_err(|e| MediaError::Encode(e.to_string()))?;
    let mut dst = FirImage::new(width, height, pixel_type);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new().resize(&src, &mut dst, &options).map_err(|e| MediaError::Encode(e.to_string()))?;
    let buf = dst.into_vec();
    let out = match pixel_type {
        PixelType::U8x3 => image::RgbImage::from_raw(width, height, buf).map(DynamicImage::ImageRgb8),
        _ => image::RgbaImage::from_raw(width, height, buf).map(DynamicImage::ImageRgba8),
    };
    out.ok_or_else(|| MediaError::Encode("resized buffer has the wrong size".into()))
}

fn encode(image: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, MediaError> {
    let err = |e: image::ImageError| MediaError::Encode(e.to_string());
    let (w, h) = (image.width(), image.height());
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            let converted;
            let rgb: &[u8] = match image {
                DynamicImage::ImageRgb8(px) => px.as_raw(),
                other => {
                    converted = other.to_rgb8();
                    converted.as_raw()
                }
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
                .write_image(rgb, w, h, ExtendedColorType::Rgb8)
                .map_err(err)?;
        }
        Format::Png => {
            let (raw, color) = raw_of(image);
            image::codecs::png::PngEncoder::new_with_quality(&mut out, image::codecs::png::CompressionType::Fast, image::codecs::png::FilterType::Adaptive)
                .write_image(&raw, w, h, color)
                .map_err(err)?;
        }
        Format::Gif => {
            let rgba = image.to_rgba8();
            let mut encoder = image::codecs::gif::GifEncoder::new_with_speed(&mut out, 10);
            encoder.encode(rgba.as_raw(), w, h, ExtendedColorType::Rgba8).map_err(err)?;
        }
        Format::Webp => {
            let (raw, color) = raw_of(image);
            let encoder = match color {
                ExtendedColorType::Rgba8 => webp::Encoder::from_rgba(&raw, w, h),
                _ => webp::Encoder::from_rgb(&raw, w, h),
            };
            let memory = encoder.encode_simple(false, f32::from(quality.clamp(1, 100))).map_err(|e| MediaError::Encode(format!("{e:?}")))?;
            out.extend_from_slice(&memory);
        }
    }
    Ok(out)
}

/// The pixels as bytes, borrowed when they are 8-bit RGB or RGBA already.
fn raw_of(image: &DynamicImage) -> (std::borrow::Cow<'_, [u8]>, ExtendedColorType) {
    match image {
        DynamicImage::ImageRgba8(px) => (std::borrow::Cow::Borrowed(px.as_raw().as_slice()), ExtendedColorType::Rgba8),
        DynamicImage::ImageRgb8(px) => (std::borrow::Cow::Borrowed(px.as_raw().as_slice()), ExtendedColorType::Rgb8),
        other if other.color().has_alpha() => (std::borrow::Cow::Owned(other.to_rgba8().into_raw()), ExtendedColorType::Rgba8),
        other => (std::borrow::Cow::Owned(other.to_rgb8().into_raw()), ExtendedColorType::Rgb8),
    }
}

pub mod drawn;

#[cfg(test)]
mod tests;
