//! The device a conversation is shown on: the size of its screen, and what it draws
//! itself around an app — the status bar, the home indicator, the phone's body and
//! its Dynamic Island; for `mobileView: false`, a desktop window and its title bar.
//! Skins draw the app inside; none of them knows the screen's size.

pub(crate) mod desktop;
pub(crate) mod phone;

use crate::layout::{Block, Cx};
use crate::payload::Props;
use crate::scene::{Color, Item, Shape};

/// A device and its screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Device {
    /// An iPhone with a Dynamic Island, 390 × 844 points.
    Phone,
    /// A desktop app's window, 1280 × 800 points of content.
    Desktop,
}

/// The device drawn around its screen.
pub(crate) struct Body {
    /// Drawn before the screen.
    pub behind: Vec<Item>,
    /// Where the screen's top-left corner goes.
    pub screen_at: (f32, f32),
    /// The screen's outline in its own coordinates (what shows of the app).
    pub clip: Shape,
    /// Drawn over the screen.
    pub over: Vec<Item>,
    /// The whole picture, points.
    pub size: (f32, f32),
}

impl Device {
    /// The device a payload is drawn on.
    pub fn of(props: &Props) -> Device {
        if !props.mobile_view && props.platform.has_desktop_window() {
            Device::Desktop
        } else {
            Device::Phone
        }
    }

    /// Screen size, points.
    pub fn screen(self) -> (f32, f32) {
        match self {
            Device::Phone => phone::SCREEN,
            Device::Desktop => desktop::SCREEN,
        }
    }

    /// The status bar (time, signal, battery), drawn over the app's header in `ink`.
    pub fn status_bar(self, cx: &mut Cx<'_>, ink: Color) -> Block {
        match self {
            Device::Phone => phone::status_bar(cx, ink),
            Device::Desktop => Block::new(0.0),
        }
    }

    /// Height at the bottom of the screen that the app's bottom bar reaches under
    /// (the home indicator's strip).
    pub fn bottom_inset(self) -> f32 {
        match self {
            Device::Phone => phone::HOME_INDICATOR_HEIGHT,
            Device::Desktop => 0.0,
        }
    }

    /// The home indicator over a bottom bar of `(width, height)`, in `ink`.
    pub fn home_indicator(self, (width, height): (f32, f32), ink: Color) -> Option<Item> {
        match self {
            Device::Phone => Some(phone::home_indicator(width, height, ink)),
            Device::Desktop => None,
        }
    }

    /// Size of the picture of the device around a screen of `screen` points.
    pub fn framed_size(self, screen: (f32, f32)) -> (f32, f32) {
        match self {
            Device::Phone => {
                let at = phone::FRAME_MARGIN + phone::FRAME_BEZEL;
                (screen.0 + 2.0 * at, screen.1 + 2.0 * at)
            }
            Device::Desktop => desktop::framed_size(screen),
        }
    }

    /// The device drawn around a screen of `screen` points (a desktop window on a
    /// backdrop, unless the background is `transparent`).
    pub fn body(self, screen: (f32, f32), dark: bool, transparent: bool) -> Body {
        match self {
            Device::Phone => {
                let at = phone::FRAME_MARGIN + phone::FRAME_BEZEL;
                Body {
                    behind: phone::body(screen, dark),
                    screen_at: (at, at),
                    clip: phone::screen_shape(screen),
                    over: vec![phone::island(screen.0)],
                    size: self.framed_size(screen),
                }
            }
            Device::Desktop => Body {
                behind: desktop::body(screen, dark, transparent),
                screen_at: desktop::content_at(),
                clip: desktop::content_shape(screen),
                over: Vec::new(),
                size: self.framed_size(screen),
            },
        }
    }
}
