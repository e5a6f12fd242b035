//! Who the conversation is with, as headers and rows show it: round avatars (the
//! photo, or initials on the iOS grey gradient), the conversation's headline, and
//! the cluster of members' avatars a group without a photo gets.

use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::Cx;
use crate::payload::User;
use crate::scene::{Color, Item, Paint, Rect, Shape};
use crate::text::TextStyle;

/// A round avatar: the user's photo, or their initials on the iOS grey gradient.
pub fn avatar(cx: &mut Cx<'_>, user: &User, cx0: f32, cy0: f32, d: f32) -> Vec<Item> {
    let r = d / 2.0;
    let clip = Shape::Circle {
        cx: cx0,
        cy: cy0,
        r,
    };
    let rect = Rect::new(cx0 - r, cy0 - r, d, d);
    if let Some(url) = &user.image
        && let Some(item) = cx.picture(url, rect, clip.clone())
    {
        return vec![item];
    }
    monogram(cx, &initials(&user.name), rect)
}

/// A rounded-square avatar (WeChat's): the user's photo, or a grey tile with a
/// white silhouette as the app gives people without one.
pub fn rounded(cx: &mut Cx<'_>, user: &User, rect: Rect, corner: f32) -> Vec<Item> {
    let clip = Shape::RoundRect(rect, corner);
    if let Some(url) = &user.image
        && let Some(item) = cx.picture(url, rect, clip.clone())
    {
        return vec![item];
    }
    let s = rect.w * 0.7;
    vec![
        Item::fill(clip, Color::hex(0xC8CDD3)),
        Item::Icon {
            icon: Icon::Person,
            rect: Rect::new(rect.center_x() - s / 2.0, rect.bottom() - s * 0.95, s, s),
            color: Color::WHITE,
        },
    ]
}

/// Initials on the grey gradient iOS uses for contacts without a photo; a
/// silhouette when the name has no letters.
pub fn monogram(cx: &mut Cx<'_>, letters: &str, rect: Rect) -> Vec<Item> {
    let ios = (Color::hex(0xA5ABB8), Color::hex(0x858994), Color::WHITE);
    monogram_in(cx, letters, rect, ios)
}

/// Initials in `ink` on a circle shaded from `top` to `bottom`; a silhouette when
/// the name has no letters.
fn monogram_in(
    cx: &mut Cx<'_>,
    letters: &str,
    rect: Rect,
    (top, bottom, ink): (Color, Color, Color),
) -> Vec<Item> {
    let r = rect.w / 2.0;
    let mut items = vec![Item::fill(
        Shape::Circle {
            cx: rect.center_x(),
            cy: rect.center_y(),
            r,
        },
        Paint::Linear {
            from: (rect.x, rect.y),
            to: (rect.x, rect.bottom()),
            stops: vec![(0.0, top), (1.0, bottom)],
            pinned: false,
        },
    )];
    if letters.is_empty() {
        let s = rect.w * 0.62;
        items.push(Item::Icon {
            icon: Icon::Person,
            rect: Rect::new(
                rect.center_x() - s / 2.0,
                rect.center_y() - s / 2.0 + rect.w * 0.04,
                s,
                s,
            ),
            color: ink,
        });
        return items;
    }
    let size = rect.w * 0.41;
    let style = TextStyle::new(Family::Inter, size, size * 1.2, 600, ink).tracking(0.01);
    let t = cx.line(letters, &style);
    // Centre the capitals optically: cap height ≈ 0.73 em for Inter.
    let baseline = rect.center_y() + size * 0.73 / 2.0;
    items.push(Item::text(
        rect.center_x() - t.width / 2.0,
        baseline - t.first_baseline,
        t,
    ));
    items
}

/// Up to two initials: first letters of the first and last words.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let first = |w: &str| {
        w.chars()
            .next()
            .map(|c| c.to_uppercase().collect::<String>())
    };
    match words.as_slice() {
        [] => String::new(),
        [one] => first(one).unwrap_or_default(),
        [a, .., z] => format!(
            "{}{}",
            first(a).unwrap_or_default(),
            first(z).unwrap_or_default()
        ),
    }
}

/// Who the conversation is with, as headers show it.
#[derive(Debug, Clone)]
pub(crate) struct Headline {
    pub title: String,
    pub members: Vec<User>,
    pub image: Option<String>,
    pub group: bool,
}

pub(crate) fn headline(props: &crate::payload::Props) -> Headline {
    match &props.group_chat_settings {
        Some(g) if props.is_group() => Headline {
            title: g.name.clone(),
            members: props.receivers.clone(),
            image: g.image.clone(),
            group: true,
        },
        _ => Headline {
            title: props.receivers[0].name.clone(),
            members: vec![props.receivers[0].clone()],
            image: None,
            group: false,
        },
    }
}

/// What an app draws for a person or a group without a picture.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NoPhoto {
    /// Initials on iOS's grey gradient; a group shows its members' cluster.
    Monogram,
    /// A silhouette in `ink` on `fill`: a person's, or a group's (WhatsApp's,
    /// Facebook's).
    Silhouette { fill: Color, ink: Color },
    /// Initials in an ink on a circle shaded top to bottom, the colours
    /// (top, bottom, ink) picked by the name (Telegram's, Teams').
    Palette(&'static [(Color, Color, Color)]),
}

/// The conversation's avatar as an app that draws `no_photo` for those without a
/// picture shows it.
pub(crate) fn headline_avatar_as(
    cx: &mut Cx<'_>,
    h: &Headline,
    (x, y): (f32, f32),
    size: f32,
    ring: Color,
    no_photo: NoPhoto,
) -> Vec<Item> {
    let single = (h.members.len() == 1 && !h.group).then(|| &h.members[0]);
    let photo = h.image.as_ref().or(single.and_then(|u| u.image.as_ref()));
    let rect = Rect::new(x - size / 2.0, y - size / 2.0, size, size);
    let clip = Shape::Circle {
        cx: x,
        cy: y,
        r: size / 2.0,
    };
    if let Some(url) = photo
        && let Some(item) = cx.picture(url, rect, clip.clone())
    {
        return vec![item];
    }
    let name = single.map_or(h.title.as_str(), |u| u.name.as_str());
    match no_photo {
        NoPhoto::Monogram => headline_avatar(cx, h, (x, y), size, ring),
        NoPhoto::Silhouette { fill, ink } => {
            let (icon, k) = if single.is_some() {
                (Icon::Person, 0.62)
            } else {
                (Icon::Communities, 0.56)
            };
            let s = size * k;
            vec![
                Item::fill(clip, fill),
                Item::Icon {
                    icon,
                    rect: Rect::new(x - s / 2.0, y - s / 2.0 + size * 0.04, s, s),
                    color: ink,
                },
            ]
        }
        NoPhoto::Palette(colors) => {
            let pick = colors[(crate::skin::fnv(name.as_bytes()) % colors.len() as u64) as usize];
            monogram_in(cx, &initials(name), rect, pick)
        }
    }
}

/// The conversation's avatar: the group photo, the person's, or a cluster of the
/// members' (ringed in `ring`, the bar's colour) for a group without a photo.
pub(crate) fn headline_avatar(
    cx: &mut Cx<'_>,
    h: &Headline,
    (x, y): (f32, f32),
    size: f32,
    ring: Color,
) -> Vec<Item> {
    if let Some(url) = &h.image {
        let user = User {
            id: String::new(),
            name: h.title.clone(),
            image: Some(url.clone()),
            color: None,
        };
        return avatar(cx, &user, x, y, size);
    }
    if h.members.len() < 2 {
        return avatar(cx, &h.members[0], x, y, size);
    }
    let small = (size * 0.58).round();
    let k = size / 52.0;
    let spots: &[(f32, f32)] = if h.members.len() == 2 {
        &[(-10.0, -3.0), (10.0, 3.0)]
    } else {
        &[(-11.0, -9.0), (12.0, -4.0), (-3.0, 12.0)]
    };
    let mut items = Vec::new();
    for (user, &(dx, dy)) in h.members.iter().zip(spots).rev() {
        let (ux, uy) = (x + dx * k, y + dy * k);
        items.push(Item::fill(
            Shape::Circle {
                cx: ux,
                cy: uy,
                r: small / 2.0 + 1.5,
            },
            ring,
        ));
        items.extend(avatar(cx, user, ux, uy, small));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_from_names() {
        assert_eq!(initials("Jane Appleseed"), "JA");
        assert_eq!(initials("jane"), "J");
        assert_eq!(initials("Mary Ann van Dyke"), "MD");
        assert_eq!(initials("🔥🔥"), "");
        assert_eq!(initials("Ölaf 42"), "Ö");
    }
}
