//! The caps that keep one render bounded in time and memory, in one place.
//!
//! A payload is at most 10 MB, yet a few kilobytes can describe a picture of a
//! billion pixels, a 7000×7000 image, or a video that types ten thousand letters:
//! every quantity whose cost grows with the input has a cap here. Field caps are
//! checked when the payload is validated (with the field's path in the error); the
//! budgets are checked while rendering, before the work they guard is done.

/// Every cap and budget of the engine. [`Limits::default`] is what the HTTP API and
/// the command line use; the README and `PAYLOAD.md` document these values.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Limits {
    /// Messages in one payload.
    pub max_messages: usize,
    /// Receivers (group members) in one payload.
    pub max_receivers: usize,
    /// Characters of one message's text.
    pub max_text_chars: usize,
    /// Characters of all messages' texts together.
    pub max_total_text_chars: usize,
    /// Characters of a name, an id, a group name or an emoji reaction's label: what a
    /// header or a label can show (one line, cut with "…").
    pub max_label_chars: usize,
    /// Characters of `statusBarTime`.
    pub max_status_time_chars: usize,
    /// Characters of an `http(s)` picture URL (data URLs are bounded by the body).
    pub max_url_chars: usize,
    /// Pictures of one image message.
    pub max_images_per_message: usize,
    /// Reactions on one message.
    pub max_reactions_per_message: usize,
    /// Distinct pictures (avatars, photos, group image) in one payload.
    pub max_pictures: usize,

    /// Pixels of the output picture (or of each video frame).
    pub max_canvas_pixels: u64,
    /// Pixels of one picture as decoded (a 48-megapixel phone photo fits).
    pub max_picture_pixels: u64,
    /// Pixels of all of a payload's pictures as decoded, together.
    pub max_decoded_pixels: u64,
    /// Pixels of all pictures kept after each is scaled down to the largest size it
    /// is drawn at.
    pub max_kept_pixels: u64,
    /// Pixels decoded at once by one engine, across all its renders: a picture
    /// waits for room before it is decoded, so parallel renders cannot add up.
    pub decode_pixels_in_flight: u64,

    /// Length of a video, milliseconds.
    pub max_video_ms: f64,
    /// Width × height × frames of a video: what encoding costs.
    pub max_video_pixels: u64,
    /// Pixels of one video frame: the encoders' memory grows with it (every 2x
    /// framing fits; 4x does not).
    pub max_video_frame_pixels: u64,
    /// Letters typed into the composer, letter by letter, in one video; the owner's
    /// messages after that are sent without being typed.
    pub max_typed_chars: usize,
    /// Any pause of `props.video` or a message's `delayMs`, milliseconds.
    pub max_delay_ms: f64,
    /// `props.video.typingMs`, milliseconds.
    pub max_typing_ms: f64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_messages: 2_000,
            max_receivers: 256,
            max_text_chars: 10_000,
            max_total_text_chars: 200_000,
            max_label_chars: 200,
            max_status_time_chars: 32,
            max_url_chars: 8_192,
            max_images_per_message: 10,
            max_reactions_per_message: 20,
            max_pictures: 200,

            max_canvas_pixels: 64_000_000,
            max_picture_pixels: 50_000_000,
            max_decoded_pixels: 300_000_000,
            max_kept_pixels: 64_000_000,
            decode_pixels_in_flight: 64_000_000,

            max_video_ms: 600_000.0,
            // Ten minutes of 2x frames at 30 fps.
            max_video_pixels: 24_000_000_000,
            max_video_frame_pixels: 2_200_000,
            max_typed_chars: 5_000,
            max_delay_ms: 60_000.0,
            max_typing_ms: 10_000.0,
        }
    }
}
