//! The quiz's answer box: a small multi-line editor (insert, delete, move by character, line,
//! word-free Home/End) that wraps at the box width and knows where its cursor lands.

#[derive(Default)]
pub struct AnswerBox {
    chars: Vec<char>,
    /// Index into `chars`.
    cursor: usize,
}

impl AnswerBox {
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn clear(&mut self) {
        self.chars.clear();
        self.cursor = 0;
    }

    pub fn insert(&mut self, c: char) {
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
    }

    /// Pasted text: tabs become spaces, line breaks stay, other control characters are dropped.
    pub fn paste(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\r' => {}
                '\n' => self.insert('\n'),
                '\t' => (0..4).for_each(|_| self.insert(' ')),
                c if c.is_control() => {}
                c => self.insert(c),
            }
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.chars.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.chars.len() {
            self.chars.remove(self.cursor);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    pub fn home(&mut self) {
        while self.cursor > 0 && self.chars[self.cursor - 1] != '\n' {
            self.cursor -= 1;
        }
    }

    pub fn end(&mut self) {
        while self.cursor < self.chars.len() && self.chars[self.cursor] != '\n' {
            self.cursor += 1;
        }
    }

    /// The text cut into rows of at most `width` characters, and the cursor's (row, column).
    pub fn layout(&self, width: usize) -> (Vec<String>, (usize, usize)) {
        let width = width.max(1);
        let mut rows = vec![String::new()];
        let mut col = 0;
        let mut cursor = (0, 0);
        for (i, &c) in self.chars.iter().enumerate() {
            if i == self.cursor {
                cursor = (rows.len() - 1, col);
            }
            if c == '\n' {
                rows.push(String::new());
                col = 0;
                continue;
            }
            if col == width {
                rows.push(String::new());
                col = 0;
                if i == self.cursor {
                    cursor = (rows.len() - 1, 0);
                }
            }
            rows.last_mut().expect("rows start non-empty").push(c);
            col += 1;
        }
        if self.cursor == self.chars.len() {
            if col == width {
                rows.push(String::new());
                col = 0;
            }
            cursor = (rows.len() - 1, col);
        }
        (rows, cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_tracks_the_cursor() {
        let mut b = AnswerBox::default();
        b.paste("abcdef\ngh");
        assert_eq!(b.layout(4), (vec!["abcd".into(), "ef".into(), "gh".into()], (2, 2)));
        b.home();
        assert_eq!(b.layout(4).1, (2, 0));
        b.backspace();
        assert_eq!(b.text(), "abcdefgh");
        assert_eq!(b.layout(4).1, (1, 2));
        b.end();
        b.insert('!');
        assert_eq!(b.text(), "abcdefgh!");
    }
}
