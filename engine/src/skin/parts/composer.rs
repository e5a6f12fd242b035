//! A composer's frame: the bar at the bottom of the screen with a field that grows
//! with the draft typed into it, for each skin to put its buttons on.

use std::sync::Arc;

use crate::icons::Icon;
use crate::layout::Block;
use crate::layout::Cx;
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::{TextBlock, TextStyle};

use super::bars::bar;

/// A composer's frame: a bar whose field grows with the draft typed into it (up to
/// five lines, then the text scrolls inside), for each skin to put its buttons on.
pub struct Composer {
    pub block: Block,
    pub field: Rect,
    /// Vertical centre of the buttons beside the field's last line.
    pub cy: f32,
    /// The draft, shaped.
    pub draft: Option<Arc<TextBlock>>,
    lines: (usize, usize),
}

impl Composer {
    /// `field`: x and width of the field; `text_w`: room for the draft's lines;
    /// `height`: the empty field's height and the bar's padding above and below it;
    /// `hairline`: a line along the bar's top edge.
    pub fn new(
        cx: &mut Cx<'_>,
        style: &TextStyle,
        draft: Option<&str>,
        (fx, fw, text_w): (f32, f32, f32),
        (field_h, pad_top, pad_bottom): (f32, f32, f32),
        tint: Color,
        hairline: Option<Color>,
    ) -> Composer {
        let draft = draft.map(|t| {
            cx.text(
                &crate::text::with_links(t),
                style,
                crate::text::Bounds::width(text_w),
            )
        });
        let lines = draft.as_ref().map_or(1, |t| t.line_count().max(1));
        let shown = lines.min(5);
        // Only the last lines show; a video keeps many drafts, so keep no more.
        let draft = draft.map(|t| {
            if lines > shown {
                std::sync::Arc::new(t.last_lines(shown))
            } else {
                t
            }
        });
        let lines = shown;
        let field = Rect::new(
            fx,
            pad_top,
            fw,
            field_h + (shown - 1) as f32 * style.line_height,
        );
        // The bar reaches under the device's home indicator, drawn over it.
        let inset = cx.device.bottom_inset();
        let mut block = Block::new(pad_top + field.h + pad_bottom + inset);
        let all = Rect::new(0.0, 0.0, cx.width, block.height);
        bar(&mut block, all, tint, None);
        if let Some(line) = hairline {
            block.push(Item::rect(Rect::new(0.0, 0.0, cx.width, 0.5), line));
        }
        Composer {
            block,
            cy: field.bottom() - field_h / 2.0,
            field,
            draft,
            lines: (lines, shown),
        }
    }

    pub fn push(&mut self, item: Item) {
        self.block.push(item);
    }

    /// Paints the field: filled, outlined, or both.
    pub fn field_box(&mut self, fill: Option<Color>, stroke: Option<Color>, radius: f32) {
        if let Some(fill) = fill {
            self.push(Item::fill(Shape::RoundRect(self.field, radius), fill));
        }
        if let Some(color) = stroke {
            self.push(Item::Stroke {
                shape: Shape::RoundRect(self.field.inset(0.5), radius),
                color,
                width: 1.0,
            });
        }
    }

    /// Draws the draft from `origin` (its first line's top-left), clipped to the
    /// field and scrolled to its last line, with the caret after it.
    pub fn draw_draft(&mut self, origin: (f32, f32), radius: f32, caret: Color) {
        let Some(text) = self.draft.clone() else {
            return;
        };
        let (lines, shown) = self.lines;
        let line_h = text.height / text.line_count().max(1) as f32;
        let hidden = (lines - shown) as f32 * line_h;
        let caret_x = origin.0 + text.last_line_width() + 1.0;
        let caret_y = origin.1 + (shown - 1) as f32 * line_h;
        self.block.push(Item::Group {
            items: vec![Item::text(origin.0, origin.1 - hidden, text)],
            opacity: 1.0,
            offset: (0.0, 0.0),
            clip: Some(Shape::RoundRect(self.field, radius)),
            bounds: Some(self.field),
        });
        self.block.push(Item::fill(
            Shape::RoundRect(Rect::new(caret_x, caret_y + 1.0, 2.0, line_h - 2.0), 1.0),
            caret,
        ));
    }

    /// A row of buttons: each icon (with its width and height) centred in a slot
    /// `slot` wide; slots start at `x` and are `step` apart, centred on the buttons'
    /// line.
    pub fn icon_row(
        &mut self,
        icons: &[(Icon, f32, f32)],
        (x, step, slot): (f32, f32, f32),
        color: Color,
    ) {
        for (i, &(icon, w, h)) in icons.iter().enumerate() {
            let left = x + i as f32 * step + (slot - w) / 2.0;
            self.push(Item::Icon {
                icon,
                rect: Rect::new(left, self.cy - h / 2.0, w, h),
                color,
            });
        }
    }

    /// The finished bar (the device draws its home indicator over it).
    pub fn finish(self) -> Block {
        self.block
    }
}
