//! Pieces every skin family draws with: avatars and headlines, the bars' material,
//! titles and buttons, the composer's frame, wallpapers, voice notes' waveforms.

pub(crate) mod avatar;
pub(crate) mod bars;
pub(crate) mod chat_list;
pub(crate) mod composer;
pub(crate) mod wallpaper;
pub(crate) mod waveform;

pub(crate) use avatar::{NoPhoto, avatar, headline, headline_avatar, headline_avatar_as};
pub(crate) use bars::{bar, call_buttons, icons_at, left_title, presence_dot};
pub(crate) use composer::Composer;
pub(crate) use wallpaper::doodle_wallpaper;
pub(crate) use waveform::Waveform;
