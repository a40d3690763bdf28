//! Times the whole pipeline on one drawn photo of WIDTH×HEIGHT (default 6000×4000, 24
//! megapixels, a phone's JPEG with camera and GPS EXIF) and reports variants per second,
//! the time of a bare decode of the same file as the reference, and the process's peak
//! memory. Run by `bench/media`; usage: photo_bench [WIDTH HEIGHT RUNS]

use std::time::Instant;

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    let args: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (width, height, runs) = (args.first().copied().unwrap_or(6000), args.get(1).copied().unwrap_or(4000), args.get(2).copied().unwrap_or(3));
    let jpeg = nashir_media::drawn::scene_jpeg_with_gps(width, height, 7);
    let before = peak_kb();
    let limits = nashir_media::Limits::default();
    let mut decode_s = Vec::new();
    let mut total_s = Vec::new();
    let mut files = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let decoded = image::load_from_memory(&jpeg).expect("decode");
        decode_s.push(t.elapsed().as_secs_f64());
        drop(decoded);
        let t = Instant::now();
        let prepared = nashir_media::prepare(&jpeg, &limits).expect("prepare");
        let variants = nashir_media::variants(&prepared, 82).expect("variants");
        total_s.push(t.elapsed().as_secs_f64());
        files = variants.len();
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (d, t) = (median(&mut decode_s), median(&mut total_s));
    println!("photo: {width}×{height} JPEG, {} KB, with camera and GPS EXIF", jpeg.len() / 1024);
    println!("bare decode (reference): {d:.3} s");
    println!("whole pipeline (decode, orient, sRGB, {files} files): {t:.3} s = {:.1} × the bare decode", t / d);
    println!("variants per second: {:.1}", files as f64 / t);
    println!("peak memory: {} MB (before the work: {} MB)", peak_kb() / 1024, before / 1024);
}
