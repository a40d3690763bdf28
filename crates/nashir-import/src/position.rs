//! Line and column numbers for a byte stream that is read once and never kept whole.
//! Owns the counting of newlines and characters as the XML reader consumes its input.

use std::io::{self, BufRead, Read};

/// A `BufRead` that remembers where each consumed byte was.
///
/// quick-xml reports byte offsets; users need line and column. Only the bytes since the
/// last [`Tracked::set_mark`] are kept (the reader sets the mark before every XML event),
/// so any offset inside the event being read can be turned into a line and column while
/// memory stays bounded by the largest single event (one post's content).
pub(crate) struct Tracked<R> {
    inner: R,
    consumed: u64,
    mark: u64,
    retained: Vec<u8>,
    /// 1-based line of `mark`.
    mark_line: u64,
    /// Characters between the start of that line and `mark`.
    mark_col: u64,
}

impl<R: BufRead> Tracked<R> {
    pub(crate) fn new(inner: R) -> Self {
        Tracked {
            inner,
            consumed: 0,
            mark: 0,
            retained: Vec::new(),
            mark_line: 1,
            mark_col: 0,
        }
    }

    /// Forgets the bytes before `offset`; later lookups must not ask for earlier offsets
    /// (they are clamped to the mark).
    pub(crate) fn set_mark(&mut self, offset: u64) {
        let offset = offset.clamp(self.mark, self.consumed);
        let n = usize::try_from(offset - self.mark).unwrap_or(self.retained.len());
        let (line, col) = advance(self.mark_line, self.mark_col, &self.retained[..n]);
        self.retained.drain(..n);
        self.mark = offset;
        self.mark_line = line;
        self.mark_col = col;
    }

    /// 1-based line and column (in characters) of a byte offset at or after the mark.
    pub(crate) fn line_col(&self, offset: u64) -> (u64, u64) {
        let offset = offset.clamp(self.mark, self.consumed);
        let n = usize::try_from(offset - self.mark).unwrap_or(self.retained.len());
        let (line, col) = advance(self.mark_line, self.mark_col, &self.retained[..n]);
        (line, col + 1)
    }
}

/// Moves a (line, column) position over `bytes`. A column counts UTF-8 lead bytes, so an
/// Arabic letter is one column like an ASCII one.
fn advance(line: u64, col: u64, bytes: &[u8]) -> (u64, u64) {
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(last) => {
            let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            (line + newlines, count_chars(&bytes[last + 1..]))
        }
        None => (line, col + count_chars(bytes)),
    }
}

fn count_chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64
}

impl<R: BufRead> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(buf.len());
            buf[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tracked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt > 0 {
            // The bytes being consumed are the head of the buffer the caller just looked
            // at; asking for it again does not read (the buffer is not empty).
            if let Ok(available) = self.inner.fill_buf() {
                let n = amt.min(available.len());
                self.retained.extend_from_slice(&available[..n]);
            }
        }
        self.inner.consume(amt);
        self.consumed += amt as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consume_all(t: &mut Tracked<&[u8]>, step: usize) {
        loop {
            let n = t.fill_buf().map(|b| b.len().min(step)).unwrap_or(0);
            if n == 0 {
                break;
            }
            t.consume(n);
        }
    }

    #[test]
    fn lines_and_character_columns() {
        let text = "ab\nعربي x\n\nz";
        let mut t = Tracked::new(text.as_bytes());
        consume_all(&mut t, 3);
        assert_eq!(t.line_col(0), (1, 1));
        assert_eq!(t.line_col(2), (1, 3));
        assert_eq!(t.line_col(3), (2, 1));
        // After four Arabic letters (8 bytes) and a space.
        assert_eq!(t.line_col(3 + 8 + 1), (2, 6));
        assert_eq!(t.line_col(text.len() as u64), (4, 2));
    }

    #[test]
    fn marks_forget_the_past_but_keep_counting() {
        let text = "one\ntwo\nthree\n";
        let mut t = Tracked::new(text.as_bytes());
        consume_all(&mut t, 5);
        t.set_mark(8);
        assert!(t.retained.len() <= text.len() - 8);
        assert_eq!(t.line_col(8), (3, 1));
        assert_eq!(t.line_col(10), (3, 3));
        // Earlier offsets clamp to the mark.
        assert_eq!(t.line_col(0), (3, 1));
    }
}
