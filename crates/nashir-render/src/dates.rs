//! Localised dates for a site: Gregorian and Hijri (Umm al-Qura) dates and
//! times in the site's BCP-47 locale and IANA time zone.
//!
//! Instants are stored as UTC microseconds since the Unix epoch. They are
//! converted to the site's zone with `jiff` (which carries a bundled copy of
//! the IANA database, so zones resolve even on machines without
//! `/usr/share/zoneinfo`) and formatted with ICU4X compiled data.
//!
//! The locale decides month names and digits: `ar-IQ`/`ar-SY` write
//! `تشرين الثاني`, `ar-EG` `نوفمبر`, `ar-MA` `نونبر`; `-u-nu-latn` selects
//! Latin digits. The Gregorian formatters always use the Gregorian calendar
//! (even for a locale such as `ar-SA` whose default calendar is Hijri, or a
//! locale carrying `-u-ca-…`), and the Hijri formatter always uses the Umm
//! al-Qura calendar, shifted by the site's day offset (local moon sighting
//! often differs from Umm al-Qura by a day or two).

use icu::calendar::cal::hijri::UmmAlQura;
use icu::calendar::cal::{Gregorian, Hijri};
use icu::calendar::{Date, Iso};
use icu::datetime::fieldsets::{T, YMD, YMDT};
use icu::datetime::input::{DateTime, Time};
use icu::datetime::{
    DateTimeFormatterLoadError, DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter,
    NoCalendarFormatter,
};
use icu::locale::Locale;
use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone, TimeZoneDatabase};

/// Largest accepted Hijri day offset, in either direction.
pub const MAX_HIJRI_OFFSET_DAYS: i32 = 2;

/// 0001-01-02T00:00:00Z in Unix microseconds. Instants are clamped to at
/// least this so that the local date in any zone (offsets are below 26 h)
/// keeps a four-digit, non-negative year, as RFC 3339 requires.
const MIN_MICROS: i64 = -62_135_510_400_000_000;

/// Errors building a [`SiteDates`].
#[derive(Debug, thiserror::Error)]
pub enum DateError {
    /// The locale is not a well-formed BCP-47 language tag.
    #[error("invalid BCP-47 locale {locale:?}: {source}")]
    InvalidLocale {
        locale: String,
        #[source]
        source: icu::locale::ParseError,
    },
    /// The time zone is not a known IANA time zone name.
    #[error("unknown IANA time zone {time_zone:?}: {source}")]
    UnknownTimeZone {
        time_zone: String,
        #[source]
        source: jiff::Error,
    },
    /// The Hijri day offset is outside `-2..=2`.
    #[error(
        "Hijri day offset {0} is out of range (must be between -{MAX_HIJRI_OFFSET_DAYS} and {MAX_HIJRI_OFFSET_DAYS})"
    )]
    HijriOffsetOutOfRange(i32),
    /// ICU4X could not load formatting data for the locale.
    #[error("could not load ICU date formatter ({what}) for locale {locale:?}: {source}")]
    Icu {
        locale: String,
        what: &'static str,
        #[source]
        source: Box<DateTimeFormatterLoadError>,
    },
}

/// Date formatting for one site: cached ICU4X formatters for the site's
/// locale plus its time zone and Hijri day offset.
///
/// Construction loads formatting data; the formatting methods only convert
/// and format, so they are cheap. `SiteDates` is `Send + Sync` and meant to
/// be shared (e.g. in an `Arc`) across requests.
#[derive(Debug)]
pub struct SiteDates {
    locale: String,
    time_zone_name: String,
    tz: TimeZone,
    hijri_offset_days: i32,
    date_fmt: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    date_time_fmt: FixedCalendarDateTimeFormatter<Gregorian, YMDT>,
    time_fmt: NoCalendarFormatter<T>,
    hijri_fmt: FixedCalendarDateTimeFormatter<Hijri<UmmAlQura>, YMD>,
}

/// The local wall-clock fields of an instant in the site's zone.
struct Local {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
}

impl SiteDates {
    /// Builds the formatters for `locale` (a BCP-47 tag such as `ar-IQ` or
    /// `ar-MA-u-nu-latn`), `time_zone` (an IANA name such as `Asia/Baghdad`)
    /// and a Hijri day offset in `-2..=2`.
    pub fn new(locale: &str, time_zone: &str, hijri_offset_days: i32) -> Result<Self, DateError> {
        if !(-MAX_HIJRI_OFFSET_DAYS..=MAX_HIJRI_OFFSET_DAYS).contains(&hijri_offset_days) {
            return Err(DateError::HijriOffsetOutOfRange(hijri_offset_days));
        }
        let parsed = Locale::try_from_str(locale).map_err(|source| DateError::InvalidLocale {
            locale: locale.to_owned(),
            source,
        })?;
        let tz = lookup_time_zone(time_zone)?;

        let prefs = DateTimeFormatterPreferences::from(&parsed);
        let icu_err = |what: &'static str| {
            move |source| DateError::Icu {
                locale: locale.to_owned(),
                what,
                source: Box::new(source),
            }
        };
        let date_fmt =
            FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long()).map_err(icu_err("date"))?;
        let date_time_fmt =
            FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long().with_time_hm())
                .map_err(icu_err("date and time"))?;
        let time_fmt = NoCalendarFormatter::try_new(prefs, T::hm()).map_err(icu_err("time"))?;
        let hijri_fmt = FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long())
            .map_err(icu_err("Hijri date"))?;

        Ok(Self {
            locale: locale.to_owned(),
            time_zone_name: time_zone.to_owned(),
            tz,
            hijri_offset_days,
            date_fmt,
            date_time_fmt,
            time_fmt,
            hijri_fmt,
        })
    }

    /// The BCP-47 locale string given to [`SiteDates::new`].
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// The IANA time zone name given to [`SiteDates::new`].
    pub fn time_zone(&self) -> &str {
        &self.time_zone_name
    }

    /// The Hijri day offset given to [`SiteDates::new`].
    pub fn hijri_offset_days(&self) -> i32 {
        self.hijri_offset_days
    }

    /// Long Gregorian date in the site's locale and time zone, e.g.
    /// "٢٩ تشرين الثاني ٢٠٢٦" for ar-IQ.
    /// Whether the locale writes Arabic-Indic digits (`ar-IQ`; not `ar-MA` or `-u-nu-latn`).
    pub fn arabic_digits(&self) -> bool {
        self.date(0).chars().any(|c| ('\u{0660}'..='\u{0669}').contains(&c))
    }

    pub fn date(&self, unix_micros: i64) -> String {
        let local = self.local(unix_micros);
        match gregorian(&local) {
            Some(date) => self.date_fmt.format(&date).to_string(),
            None => local.iso_date(),
        }
    }

    /// Date and time (hours:minutes) in the site's locale and zone, e.g.
    /// "٢٩ تشرين الثاني ٢٠٢٦ في ١٠:٣٠ م".
    pub fn date_time(&self, unix_micros: i64) -> String {
        let local = self.local(unix_micros);
        match (gregorian(&local), local.time()) {
            (Some(date), Some(time)) => self
                .date_time_fmt
                .format(&DateTime { date, time })
                .to_string(),
            _ => format!("{} {}", local.iso_date(), local.iso_time()),
        }
    }

    /// Time only (hours:minutes) in the site's locale and zone, for tickers
    /// and "latest" lists, e.g. "١٠:٣٠ م".
    pub fn time(&self, unix_micros: i64) -> String {
        let local = self.local(unix_micros);
        match local.time() {
            Some(time) => self.time_fmt.format(&time).to_string(),
            None => local.iso_time(),
        }
    }

    /// Hijri (Umm al-Qura) long date in the site's locale: the local date in
    /// the site's zone, shifted by the site's day offset, e.g.
    /// "١٩ جمادى الآخرة ١٤٤٨ هـ" (2026-11-29 in ar-IQ, offset 0).
    pub fn hijri(&self, unix_micros: i64) -> String {
        let local = self.local(unix_micros);
        match Date::try_new_iso(local.year, local.month, local.day) {
            Ok(iso) => {
                let hijri = shift_to_hijri(iso, self.hijri_offset_days);
                self.hijri_fmt.format(&hijri).to_string()
            }
            Err(_) => local.iso_date(),
        }
    }

    /// RFC 3339 timestamp (whole seconds) with the site's UTC offset, for
    /// `<time datetime="…">`, e.g. "2026-11-29T22:30:00+03:00".
    pub fn rfc3339(&self, unix_micros: i64) -> String {
        let ts = timestamp(unix_micros);
        let whole = Timestamp::from_second(ts.as_second()).unwrap_or(ts);
        let offset = self.tz.to_offset(whole);
        // RFC 3339 (and HTML's <time>) only allow hh:mm offsets; historic
        // local mean time offsets carry seconds, so drop them.
        let offset = Offset::from_seconds(offset.seconds() / 60 * 60).unwrap_or(offset);
        whole.display_with_offset(offset).to_string()
    }

    /// RFC 2822 date with the site's UTC offset, for RSS `pubDate`, e.g.
    /// "Sun, 29 Nov 2026 22:30:00 +0300".
    pub fn rfc2822(&self, unix_micros: i64) -> String {
        let ts = timestamp(unix_micros);
        let whole = Timestamp::from_second(ts.as_second()).unwrap_or(ts);
        let offset = self.tz.to_offset(whole);
        let offset = Offset::from_seconds(offset.seconds() / 60 * 60).unwrap_or(offset);
        let zoned = whole.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset));
        jiff::fmt::rfc2822::to_string(&zoned).unwrap_or_else(|_| whole.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string())
    }

    /// The calendar month (year, month) of a moment in the site's time zone.
    pub fn month_of(&self, unix_micros: i64) -> (i16, i8) {
        let dt = self.tz.to_datetime(timestamp(unix_micros));
        (dt.year(), dt.month())
    }

    /// The first moment (unix micros) of a calendar month in the site's time zone, and of the
    /// month after it; None for a month that does not exist.
    pub fn month_bounds(&self, year: i16, month: i8) -> Option<(i64, i64)> {
        let first = jiff::civil::Date::new(year, month, 1).ok()?;
        let next = first.checked_add(jiff::Span::new().months(1)).ok()?;
        let micros = |d: jiff::civil::Date| -> Option<i64> {
            let ts = self.tz.to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::midnight())).compatible().ok()?;
            Some(ts.as_microsecond())
        };
        Some((micros(first)?, micros(next)?))
    }

    fn local(&self, unix_micros: i64) -> Local {
        let dt = self.tz.to_datetime(timestamp(unix_micros));
        Local {
            year: i32::from(dt.year()),
            month: u8::try_from(dt.month()).unwrap_or(1),
            day: u8::try_from(dt.day()).unwrap_or(1),
            hour: u8::try_from(dt.hour()).unwrap_or(0),
            minute: u8::try_from(dt.minute()).unwrap_or(0),
        }
    }
}

impl Local {
    fn time(&self) -> Option<Time> {
        Time::try_new(self.hour, self.minute, 0, 0).ok()
    }

    fn iso_date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn iso_time(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }
}

fn gregorian(local: &Local) -> Option<Date<Gregorian>> {
    Date::try_new_gregorian(local.year, local.month, local.day).ok()
}

/// Shifts an ISO date by `offset_days` and converts it to Umm al-Qura.
fn shift_to_hijri(iso: Date<Iso>, offset_days: i32) -> Date<Hijri<UmmAlQura>> {
    Date::from_rata_die(
        iso.to_rata_die() + i64::from(offset_days),
        Hijri::new_umm_al_qura(),
    )
}

/// Converts Unix microseconds to a timestamp, clamping out-of-range values
/// into the supported range (years 0001..=9999).
fn timestamp(unix_micros: i64) -> Timestamp {
    match Timestamp::from_microsecond(unix_micros.max(MIN_MICROS)) {
        Ok(ts) => ts,
        // Only values past the end of jiff's range fail here.
        Err(_) => Timestamp::MAX,
    }
}

/// Looks a zone up in the global database (the system copy when present),
/// falling back to the bundled copy of the IANA database.
fn lookup_time_zone(name: &str) -> Result<TimeZone, DateError> {
    TimeZone::get(name)
        .or_else(|err| TimeZoneDatabase::bundled().get(name).map_err(|_| err))
        .map_err(|source| DateError::UnknownTimeZone {
            time_zone: name.to_owned(),
            source,
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // unwrapping is the point of a failing test
mod tests {
    use super::*;

    /// 2026-11-29T19:30:00Z.
    const T_1930Z: i64 = 1_795_980_600_000_000;
    /// 2026-11-29T22:30:00Z (01:30 on 30 November in Baghdad).
    const T_2230Z: i64 = T_1930Z + 3 * 3_600_000_000;

    const ARABIC_INDIC: &[char] = &['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];

    fn site(locale: &str, tz: &str, offset: i32) -> SiteDates {
        SiteDates::new(locale, tz, offset).unwrap()
    }

    fn has_arabic_digits(s: &str) -> bool {
        s.chars().any(|c| ARABIC_INDIC.contains(&c))
    }

    fn to_latin_digits(s: &str) -> String {
        s.chars()
            .map(|c| match ARABIC_INDIC.iter().position(|&d| d == c) {
                Some(i) => char::from(b'0' + i as u8),
                None => c,
            })
            .collect()
    }

    #[test]
    fn instant_constants() {
        assert_eq!(
            Timestamp::from_microsecond(T_1930Z).unwrap().to_string(),
            "2026-11-29T19:30:00Z"
        );
        assert_eq!(
            Timestamp::from_microsecond(MIN_MICROS).unwrap().to_string(),
            "0001-01-02T00:00:00Z"
        );
    }

    #[test]
    fn is_send_sync() {
        fn check<S: Send + Sync>() {}
        check::<SiteDates>();
    }

    /// The same moment in six Arabic locales: month names, digits, clocks and offsets as
    /// each region writes them (a table, so a changed ICU or zone database shows here).
    #[test]
    fn one_moment_in_six_locales() {
        let expected = [
            ("ar-IQ", "Asia/Baghdad", "٢٩ تشرين الثاني ٢٠٢٦", "٢٩ تشرين الثاني ٢٠٢٦ في ١٠:٣٠ م", "١٠:٣٠ م", "١٩ جمادى الآخرة ١٤٤٨ هـ", "2026-11-29T22:30:00+03:00"),
            ("ar-SY", "Asia/Damascus", "٢٩ تشرين الثاني ٢٠٢٦", "٢٩ تشرين الثاني ٢٠٢٦ في ١٠:٣٠ م", "١٠:٣٠ م", "١٩ جمادى الآخرة ١٤٤٨ هـ", "2026-11-29T22:30:00+03:00"),
            ("ar-EG", "Africa/Cairo", "٢٩ نوفمبر ٢٠٢٦", "٢٩ نوفمبر ٢٠٢٦ في ٩:٣٠ م", "٩:٣٠ م", "١٩ جمادى الآخرة ١٤٤٨ هـ", "2026-11-29T21:30:00+02:00"),
            ("ar-MA", "Africa/Casablanca", "29 نونبر 2026", "29 نونبر 2026 في 20:30", "20:30", "19 جمادى الآخرة 1448 هـ", "2026-11-29T20:30:00+01:00"),
            ("ar-IQ-u-nu-latn", "Asia/Baghdad", "29 تشرين الثاني 2026", "29 تشرين الثاني 2026 في 10:30 م", "10:30 م", "19 جمادى الآخرة 1448 هـ", "2026-11-29T22:30:00+03:00"),
            ("ar-SA", "Asia/Riyadh", "٢٩ نوفمبر ٢٠٢٦", "٢٩ نوفمبر ٢٠٢٦ في ١٠:٣٠ م", "١٠:٣٠ م", "١٩ جمادى الآخرة ١٤٤٨ هـ", "2026-11-29T22:30:00+03:00"),
        ];
        for (loc, tz, date, date_time, time, hijri, rfc3339) in expected {
            let s = site(loc, tz, 0);
            assert_eq!(
                (s.date(T_1930Z), s.date_time(T_1930Z), s.time(T_1930Z), s.hijri(T_1930Z), s.rfc3339(T_1930Z)),
                (date.to_owned(), date_time.to_owned(), time.to_owned(), hijri.to_owned(), rfc3339.to_owned()),
                "{loc} {tz}"
            );
        }
    }

    #[test]
    fn iraq_writes_tishrin_with_arabic_indic_digits() {
        let s = site("ar-IQ", "Asia/Baghdad", 0);
        let d = s.date(T_1930Z);
        assert!(d.contains("تشرين الثاني"), "{d}");
        assert!(has_arabic_digits(&d), "{d}");
        assert!(d.contains("٢٩") && d.contains("٢٠٢٦"), "{d}");
        assert_eq!(s.locale(), "ar-IQ");
        assert_eq!(s.time_zone(), "Asia/Baghdad");

        let dt = s.date_time(T_1930Z);
        assert!(dt.contains("تشرين الثاني"), "{dt}");
        // 19:30Z is 22:30 in Baghdad (UTC+3): 10:30 PM.
        assert!(dt.contains("١٠:٣٠"), "{dt}");
        let t = s.time(T_1930Z);
        assert!(t.contains("١٠:٣٠"), "{t}");
        assert!(!t.contains("٢٠٢٦"), "{t}");
    }

    #[test]
    fn syria_writes_tishrin() {
        let d = site("ar-SY", "Asia/Damascus", 0).date(T_1930Z);
        assert!(d.contains("تشرين الثاني"), "{d}");
    }

    #[test]
    fn egypt_writes_november() {
        let d = site("ar-EG", "Africa/Cairo", 0).date(T_1930Z);
        assert!(d.contains("نوفمبر"), "{d}");
    }

    #[test]
    fn morocco_writes_nonbr() {
        let d = site("ar-MA", "Africa/Casablanca", 0).date(T_1930Z);
        assert!(d.contains("نونبر"), "{d}");
    }

    #[test]
    fn nu_latn_selects_latin_digits() {
        let s = site("ar-IQ-u-nu-latn", "Asia/Baghdad", 0);
        let d = s.date(T_1930Z);
        assert!(d.contains("29") && d.contains("2026"), "{d}");
        assert!(d.contains("تشرين الثاني"), "{d}");
        assert!(!has_arabic_digits(&d), "{d}");
        assert!(s.time(T_1930Z).contains("10:30"));
        assert!(s.hijri(T_1930Z).contains("1448"));
        assert_eq!(s.locale(), "ar-IQ-u-nu-latn");
    }

    #[test]
    fn zone_shift_crosses_midnight() {
        let baghdad = site("ar-IQ-u-nu-latn", "Asia/Baghdad", 0);
        let d = baghdad.date(T_2230Z);
        assert!(d.contains("30") && !d.contains("29"), "{d}");
        assert!(baghdad.time(T_2230Z).contains("1:30"));
        // The same instant is still 29 November in Casablanca (UTC+1).
        let casablanca = site("ar-MA-u-nu-latn", "Africa/Casablanca", 0);
        let d = casablanca.date(T_2230Z);
        assert!(d.contains("29"), "{d}");
        // ... and in UTC.
        assert_eq!(
            baghdad.rfc3339(T_2230Z),
            "2026-11-30T01:30:00+03:00",
            "local time in Baghdad"
        );
    }

    #[test]
    fn rfc3339_has_site_offset() {
        let s = site("ar-IQ", "Asia/Baghdad", 0);
        assert_eq!(s.rfc3339(T_1930Z), "2026-11-29T22:30:00+03:00");
        // Sub-second precision is dropped.
        assert_eq!(s.rfc3339(T_1930Z + 999_999), "2026-11-29T22:30:00+03:00");
        let cairo = site("ar-EG", "Africa/Cairo", 0);
        assert_eq!(cairo.rfc3339(T_1930Z), "2026-11-29T21:30:00+02:00");
        let utc = site("ar", "UTC", 0);
        assert_eq!(utc.rfc3339(T_1930Z), "2026-11-29T19:30:00+00:00");
    }

    // Expected Hijri date: 2026-11-29 is 19 Jumada al-Akhirah 1448 AH in the
    // Umm al-Qura calendar. Independent source: the Umm al-Qura month-start
    // table of the `hijri-converter`/`hijridate` Python package
    // (github.com/dralshehri/hijridate, src/hijri_converter/ummalqura.py,
    // MONTH_STARTS, values = Modified Julian Day + 1). There 1 Muharram 1448
    // is 61208 (2026-06-16) and the months Muharram..Jumada al-Ula last
    // 29/30/29/30/30 days, so 1 Jumada al-Akhirah 1448 is 61356 (2026-11-11)
    // and 2026-11-29 is its 19th day. The same table puts 1 Ramadan 1447 on
    // 2026-02-18 and 1 Dhu al-Hijjah 1447 on 2026-05-18, matching the
    // announced dates. (ICU4X carries the KACST table for 1300..=1600 AH.)
    #[test]
    fn hijri_umm_al_qura() {
        let s = site("ar-IQ-u-nu-latn", "Asia/Baghdad", 0);
        let h = s.hijri(T_1930Z);
        assert!(h.contains("جمادى الآخرة"), "{h}");
        assert!(h.contains("1448"), "{h}");
        assert!(h.starts_with("19 "), "{h}");

        // Arabic-Indic digits for plain ar-IQ.
        let h = site("ar-IQ", "Asia/Baghdad", 0).hijri(T_1930Z);
        assert!(h.contains("١٤٤٨") && h.contains("جمادى الآخرة"), "{h}");

        // 22:30Z is already the next day in Baghdad.
        let h = s.hijri(T_2230Z);
        assert!(h.starts_with("20 "), "{h}");
    }

    #[test]
    fn hijri_day_offset() {
        let day = |offset: i32| {
            let h = site("ar-IQ", "Asia/Baghdad", offset).hijri(T_1930Z);
            let latin = to_latin_digits(&h);
            let n: u32 = latin
                .split(' ')
                .next()
                .and_then(|d| d.parse().ok())
                .unwrap_or_else(|| panic!("no leading day in {h}"));
            (n, h)
        };
        let (d0, h0) = day(0);
        let (plus, h_plus) = day(1);
        let (minus, h_minus) = day(-1);
        let (plus2, _) = day(2);
        let (minus2, _) = day(-2);
        assert_eq!(d0, 19, "{h0}");
        assert_eq!(plus, d0 + 1, "{h_plus}");
        assert_eq!(minus, d0 - 1, "{h_minus}");
        assert_eq!(plus2, d0 + 2);
        assert_eq!(minus2, d0 - 2);
        // The Gregorian date is unaffected by the Hijri offset.
        assert_eq!(
            site("ar-IQ", "Asia/Baghdad", 2).date(T_1930Z),
            site("ar-IQ", "Asia/Baghdad", 0).date(T_1930Z)
        );
    }

    #[test]
    fn errors_name_the_bad_value() {
        let e = SiteDates::new("not a locale!", "Asia/Baghdad", 0).unwrap_err();
        assert!(matches!(e, DateError::InvalidLocale { .. }), "{e:?}");
        assert!(e.to_string().contains("not a locale!"), "{e}");

        let e = SiteDates::new("ar-IQ", "Asia/Nowhere", 0).unwrap_err();
        assert!(matches!(e, DateError::UnknownTimeZone { .. }), "{e:?}");
        assert!(e.to_string().contains("Asia/Nowhere"), "{e}");

        let e = SiteDates::new("ar-IQ", "", 0).unwrap_err();
        assert!(matches!(e, DateError::UnknownTimeZone { .. }), "{e:?}");

        for bad in [3, -3, i32::MAX, i32::MIN] {
            let e = SiteDates::new("ar-IQ", "Asia/Baghdad", bad).unwrap_err();
            assert!(
                matches!(e, DateError::HijriOffsetOutOfRange(n) if n == bad),
                "{e:?}"
            );
            assert!(e.to_string().contains(&bad.to_string()), "{e}");
        }
    }

    #[test]
    fn bundled_tzdb_is_available() {
        assert!(TimeZoneDatabase::bundled().get("Asia/Baghdad").is_ok());
        assert!(TimeZoneDatabase::bundled().get("Africa/Casablanca").is_ok());
    }

    #[test]
    fn out_of_range_instants_do_not_panic() {
        let s = site("ar-IQ", "Asia/Baghdad", 2);
        let t = site("ar-MA", "Pacific/Kiritimati", -2);
        for micros in [
            i64::MIN,
            i64::MIN + 1,
            MIN_MICROS - 1,
            -1,
            0,
            i64::MAX - 1,
            i64::MAX,
        ] {
            for s in [&s, &t] {
                assert!(!s.date(micros).is_empty());
                assert!(!s.date_time(micros).is_empty());
                assert!(!s.time(micros).is_empty());
                assert!(!s.hijri(micros).is_empty());
                let r = s.rfc3339(micros);
                assert!(r.parse::<Timestamp>().is_ok(), "{r}");
            }
        }
        // Local mean time in year 1 (+02:57:40) is cut to whole minutes.
        assert_eq!(s.rfc3339(i64::MIN), "0001-01-02T02:57:00+02:57");
        assert_eq!(s.rfc3339(i64::MAX), "9999-12-31T01:00:00+03:00");
    }
}
