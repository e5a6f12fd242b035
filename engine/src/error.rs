//! Why a render failed.

use std::fmt;

use crate::image_source::ImageError;
use crate::payload::PayloadError;

/// Why a render failed. Everything but [`Error::Encode`], [`Error::Video`] and
/// [`Error::Cancelled`] is the client's to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The payload is invalid or asks for more than the limits allow; the message
    /// names the field.
    Payload(PayloadError),
    /// A picture could not be fetched or decoded, or the pictures are too large.
    Image { path: String, error: ImageError },
    /// The music bed could not be fetched or decoded.
    Audio { path: String, message: String },
    /// The picture would be too large to allocate. `estimated`: known before layout
    /// from a lower bound of its height.
    TooLarge {
        width: u32,
        height: u32,
        limit: u64,
        estimated: bool,
    },
    /// Encoding the output failed (an internal error).
    Encode(String),
    /// The video encoder failed (an internal error).
    Video(String),
    /// The caller stopped the render (see [`crate::Cancel`]).
    Cancelled,
}

impl Error {
    /// Dotted path of the field at fault, when there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Payload(e) => Some(&e.path),
            Error::Image { path, .. } | Error::Audio { path, .. } => Some(path),
            _ => None,
        }
    }

    /// True when the request, not the renderer, is at fault.
    pub fn is_client_error(&self) -> bool {
        !matches!(self, Error::Encode(_) | Error::Video(_) | Error::Cancelled)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Payload(e) => write!(f, "{e}"),
            Error::Image { path, error } => write!(f, "Invalid image at {path}: {error}"),
            Error::Audio { path, message } => write!(f, "Invalid audio at {path}: {message}"),
            Error::TooLarge {
                width,
                height,
                limit,
                estimated,
            } => write!(
                f,
                "The picture would be {}{width}×{height} pixels, over the limit of {limit} \
                 pixels; use a smaller resolutionScale or fewer or shorter messages",
                if *estimated { "at least " } else { "" }
            ),
            Error::Encode(m) => write!(f, "encoding failed: {m}"),
            Error::Video(m) => write!(f, "video encoding failed: {m}"),
            Error::Cancelled => f.write_str("the render was stopped"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Payload(e) => Some(e),
            Error::Image { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl From<PayloadError> for Error {
    fn from(e: PayloadError) -> Error {
        Error::Payload(e)
    }
}
