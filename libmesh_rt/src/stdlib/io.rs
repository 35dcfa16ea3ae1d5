//! `IO.read_line` logic (stdlib spec §2): one line of input without its line ending.

use std::io::BufRead;

/// Reads one line from `input` without the trailing `\n` or `\r\n`. At end of input returns
/// `Ok("")`; a read error (including input that is not UTF-8) returns its text.
pub fn read_line(input: &mut impl BufRead) -> Result<String, String> {
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| e.to_string())?;
    if line.ends_with('\n') {
        line.pop();
        if line.ends_with('\r') {
            line.pop();
        }
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_lose_their_endings() {
        let mut input = "one\r\ntwo\nthree\r".as_bytes();
        assert_eq!(read_line(&mut input).as_deref(), Ok("one"));
        assert_eq!(read_line(&mut input).as_deref(), Ok("two"));
        assert_eq!(read_line(&mut input).as_deref(), Ok("three\r"));
        assert_eq!(read_line(&mut input).as_deref(), Ok(""));
    }

    #[test]
    fn blank_lines_and_unicode() {
        let mut input = "\nhéllo 👋\n".as_bytes();
        assert_eq!(read_line(&mut input).as_deref(), Ok(""));
        assert_eq!(read_line(&mut input).as_deref(), Ok("héllo 👋"));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let mut input: &[u8] = &[0xff, b'\n'];
        assert!(read_line(&mut input).is_err());
    }
}
