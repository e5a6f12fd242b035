//! Moments of the conversation laid out as positioned rows, each row laid out once
//! and reused while its look does not change.
//!
//! A moment keeps only the rows near its bottom: a video only moves forward, and a
//! row that has scrolled two screens out of view never comes back. So memory stays
//! that of a few screens whatever the conversation's length, and the cache forgets
//! rows as they leave (their heights are kept: positions need them).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::conversation::{Conversation, Entry, View};
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, MessageType, Payload};
use crate::skin::Skin;

/// Typing indicators are drawn at this many moments of their loop.
pub(crate) const TYPING_PHASES: usize = 12;

/// Rows whose bottom is further than this many screens above a moment's end are
/// not kept.
const KEEP_SCREENS: f32 = 2.0;

/// Which row this is, across moments: how a row is recognised as new (it enters)
/// or as the same row moved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum RowId {
    Separator(usize),
    Message(usize),
    Typing(String),
}

/// What a row's look depends on: the key of the layout cache.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct RowKey {
    id: RowId,
    first_in_run: bool,
    last_in_run: bool,
    receipt: Option<DeliveryStatus>,
    /// Sent a moment ago: ticks show it on its way.
    pending: bool,
    after: u8,
}

#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub id: RowId,
    /// Top, from the transcript's top.
    pub y: f32,
    /// One block, or one per moment of a looping animation.
    pub blocks: Arc<[Block]>,
}

/// One moment of the conversation, laid out: the rows near its end, and the
/// height of the whole transcript.
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub rows: Vec<Row>,
    pub content: f32,
}

/// Lays out moments, reusing rows whose look did not change.
pub(crate) struct Rows<'a, 'c, 'p> {
    pub cx: &'a mut Cx<'c>,
    skin: &'a dyn Skin,
    payload: &'p Payload,
    cache: HashMap<RowKey, Arc<[Block]>>,
    heights: HashMap<RowKey, f32>,
    pub states: Vec<State>,
}

impl<'a, 'c, 'p> Rows<'a, 'c, 'p> {
    pub fn new(cx: &'a mut Cx<'c>, skin: &'a dyn Skin, payload: &'p Payload) -> Self {
        Rows {
            cx,
            skin,
            payload,
            cache: HashMap::new(),
            heights: HashMap::new(),
            states: Vec::new(),
        }
    }

    /// Lays out the moment `view` and returns its index.
    pub fn state(&mut self, view: View<'_>) -> usize {
        let conv = Conversation::build(
            self.payload,
            self.skin.grouping(),
            self.skin.default_status(),
            view,
        );
        let (pad_top, pad_bottom) = self.skin.transcript_padding();
        let mut placed = Vec::with_capacity(conv.entries.len());
        let mut y = pad_top;
        for (i, entry) in conv.entries.iter().enumerate() {
            if self.cx.cancelled() {
                break;
            }
            let prev = i.checked_sub(1).map(|p| &conv.entries[p]);
            let key = key_of(entry, prev);
            let h = match self.heights.get(&key) {
                Some(h) => *h,
                None => self.blocks(&key, entry, prev)[0].height,
            };
            placed.push((key, y, h, i));
            y += h;
        }
        let content = y + pad_bottom;
        let mut rows = Vec::new();
        for (key, y, h, i) in placed {
            if y + h < content - KEEP_SCREENS * self.cx.height {
                continue;
            }
            let prev = i.checked_sub(1).map(|p| &conv.entries[p]);
            let blocks = self.blocks(&key, &conv.entries[i], prev);
            rows.push(Row {
                id: key.id,
                y,
                blocks,
            });
        }
        let kept: HashSet<&RowId> = rows.iter().map(|r| &r.id).collect();
        self.cache
            .retain(|k, _| matches!(k.id, RowId::Typing(_)) || kept.contains(&k.id));
        self.states.push(State { rows, content });
        self.states.len() - 1
    }

    /// The row's blocks, from the cache or laid out now.
    fn blocks(
        &mut self,
        key: &RowKey,
        entry: &Entry<'_>,
        prev: Option<&Entry<'_>>,
    ) -> Arc<[Block]> {
        if let Some(b) = self.cache.get(key) {
            return b.clone();
        }
        let phases: Vec<Option<f32>> = if is_typing(entry) {
            (0..TYPING_PHASES)
                .map(|p| Some(p as f32 / TYPING_PHASES as f32))
                .collect()
        } else {
            vec![None]
        };
        let blocks: Arc<[Block]> = phases
            .into_iter()
            .map(|phase| {
                self.cx.phase = phase;
                self.skin.entry(self.cx, entry, prev)
            })
            .collect();
        self.cx.phase = None;
        self.heights.insert(key.clone(), blocks[0].height);
        self.cache.insert(key.clone(), blocks.clone());
        blocks
    }
}

fn is_typing(entry: &Entry<'_>) -> bool {
    matches!(entry, Entry::Message(s) if s.index == usize::MAX || s.kind() == MessageType::Typing)
}

fn key_of(entry: &Entry<'_>, prev: Option<&Entry<'_>>) -> RowKey {
    let (id, first_in_run, last_in_run, receipt, pending) = match entry {
        Entry::Separator { before, .. } => (RowId::Separator(*before), false, false, None, false),
        Entry::Message(s) if s.index == usize::MAX => (
            RowId::Typing(s.message.user_id.clone()),
            true,
            true,
            None,
            false,
        ),
        Entry::Message(s) => (
            RowId::Message(s.index),
            s.first_in_run,
            s.last_in_run,
            s.receipt,
            s.pending,
        ),
    };
    RowKey {
        id,
        first_in_run,
        last_in_run,
        receipt,
        pending,
        after: match prev {
            None => 0,
            Some(Entry::Separator { .. }) => 1,
            Some(Entry::Message(_)) => 2,
        },
    }
}
