//! Message timestamps: parsing, time zones and the labels chat apps show.
//!
//! The engine reads no clock. Where an app would say "Today" or "Yesterday", the
//! day of the conversation's last message stands in for "now": a screenshot is taken
//! while the conversation is fresh.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike, Weekday};
use chrono_tz::Tz;

use crate::payload::TimeNotation;

/// A message time in the conversation's zone.
pub type LocalTime = DateTime<Tz>;

/// Parses an ISO-8601 timestamp. With an offset (`Z`, `+02:00`) it is converted into
/// `tz`; without one it is read as wall-clock time in `tz`, which is what a user who
/// writes `"2024-05-01T09:41:00"` expects to see.
pub fn parse_timestamp(s: &str, tz: Tz) -> Option<LocalTime> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&tz));
    }
    const NAIVE: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ];
    let naive = NAIVE
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    // A wall-clock time skipped by a DST change does not exist; take the instant an
    // hour later, as clocks do.
    tz.from_local_datetime(&naive).earliest().or_else(|| {
        tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
    })
}

/// Parses an IANA zone name such as `Europe/Paris`.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// `9:41 AM` or `09:41`, the way iOS and most apps print a time of day.
pub fn clock(t: &LocalTime, notation: TimeNotation) -> String {
    match notation {
        TimeNotation::H12 => {
            let (pm, hour) = t.hour12();
            format!(
                "{hour}:{:02}\u{202F}{}",
                t.minute(),
                if pm { "PM" } else { "AM" }
            )
        }
        TimeNotation::H24 => format!("{:02}:{:02}", t.hour(), t.minute()),
    }
}

/// Where a day stands relative to the conversation's "today".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeDay {
    Today,
    Yesterday,
    /// Two to six days ago: apps print the weekday.
    ThisWeek(Weekday),
    /// Earlier, in the same year.
    ThisYear(NaiveDate),
    Older(NaiveDate),
}

impl RelativeDay {
    pub fn of(day: NaiveDate, today: NaiveDate) -> RelativeDay {
        let ago = (today - day).num_days();
        match ago {
            0 => RelativeDay::Today,
            1 => RelativeDay::Yesterday,
            2..=6 => RelativeDay::ThisWeek(day.weekday()),
            _ if day.year() == today.year() => RelativeDay::ThisYear(day),
            _ => RelativeDay::Older(day),
        }
    }
}

pub fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

pub fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

/// First three letters: `Mon`, `Jan`.
pub fn short(name: &str) -> &str {
    name.get(..3).unwrap_or(name)
}

/// How an app words a time separator, by how far the moment is from the
/// conversation's last day: one pattern for each distance.
///
/// In a pattern, `{weekday}` `{wd}` (short), `{month}` `{mon}` (short), `{m}` (its
/// number), `{day}`, `{year}` and `{time}` are filled in; what stands before a `|` is the emphasised
/// part (drawn bold), the rest is regular.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DayFormat {
    pub today: &'static str,
    pub yesterday: &'static str,
    /// Two to six days before.
    pub this_week: &'static str,
    /// Earlier in the same year.
    pub this_year: &'static str,
    pub older: &'static str,
}

impl DayFormat {
    /// The emphasised part and the rest of the label of `t`.
    pub fn label(
        &self,
        t: &LocalTime,
        today: NaiveDate,
        notation: TimeNotation,
    ) -> (String, String) {
        let pattern = match RelativeDay::of(t.date_naive(), today) {
            RelativeDay::Today => self.today,
            RelativeDay::Yesterday => self.yesterday,
            RelativeDay::ThisWeek(_) => self.this_week,
            RelativeDay::ThisYear(_) => self.this_year,
            RelativeDay::Older(_) => self.older,
        };
        let date = t.date_naive();
        let weekday = weekday_name(date.weekday());
        let month = month_name(date.month());
        let filled = pattern
            .replace("{weekday}", weekday)
            .replace("{wd}", short(weekday))
            .replace("{month}", month)
            .replace("{mon}", short(month))
            .replace("{day}", &date.day().to_string())
            .replace("{m}", &date.month().to_string())
            .replace("{year}", &date.year().to_string())
            .replace("{time}", &clock(t, notation));
        match filled.split_once('|') {
            Some((bold, rest)) => (bold.to_owned(), rest.to_owned()),
            None => (String::new(), filled),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_convert_and_naive_times_are_local() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let utc = parse_timestamp("2024-05-01T07:41:00Z", paris).unwrap();
        assert_eq!((utc.hour(), utc.minute()), (9, 41));
        let naive = parse_timestamp("2024-05-01T09:41:00", paris).unwrap();
        assert_eq!(naive, utc);
        assert!(parse_timestamp("yesterday", paris).is_none());
    }

    #[test]
    fn nonexistent_local_time_moves_forward() {
        let ny: Tz = "America/New_York".parse().unwrap();
        // 2:30 on the spring-forward night does not exist in New York.
        let t = parse_timestamp("2024-03-10T02:30:00", ny).unwrap();
        assert_eq!(t.hour(), 3);
    }

    #[test]
    fn clock_formats() {
        let t = parse_timestamp("2024-05-01T21:05:00Z", Tz::UTC).unwrap();
        assert_eq!(clock(&t, TimeNotation::H12), "9:05\u{202F}PM");
        assert_eq!(clock(&t, TimeNotation::H24), "21:05");
    }

    #[test]
    fn day_formats_fill_their_patterns() {
        let f = DayFormat {
            today: "Today| {time}",
            yesterday: "|Yesterday",
            this_week: "{weekday}|",
            this_year: "{wd}, {mon} {day}| at {time}",
            older: "|{month} {day}, {year}",
        };
        let t = parse_timestamp("2024-05-06T09:41:00Z", Tz::UTC).unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        let h12 = TimeNotation::H12;
        assert_eq!(
            f.label(&t, d(5, 6), h12),
            ("Today".into(), " 9:41\u{202F}AM".into())
        );
        assert_eq!(f.label(&t, d(5, 9), h12), ("Monday".into(), String::new()));
        assert_eq!(
            f.label(&t, d(5, 30), h12),
            ("Mon, May 6".into(), " at 9:41\u{202F}AM".into())
        );
        let later = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        assert_eq!(f.label(&t, later, h12).1, "May 6, 2024");
    }

    #[test]
    fn relative_days() {
        let today = NaiveDate::from_ymd_opt(2024, 5, 8).unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        assert_eq!(RelativeDay::of(d(5, 8), today), RelativeDay::Today);
        assert_eq!(RelativeDay::of(d(5, 7), today), RelativeDay::Yesterday);
        assert_eq!(
            RelativeDay::of(d(5, 3), today),
            RelativeDay::ThisWeek(Weekday::Fri)
        );
        assert_eq!(
            RelativeDay::of(d(4, 1), today),
            RelativeDay::ThisYear(d(4, 1))
        );
    }
}
