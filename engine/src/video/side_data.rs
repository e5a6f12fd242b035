//! Alpha for a packet the engine writes itself. FFmpeg keeps a VP9 frame's alpha
//! (a second VP9 stream) in the packet's side data, which WebM stores as the block's
//! `BlockAdditional` 1; the safe bindings can read side data but not add it, so this
//! is the engine's one call into FFmpeg's C API.
#![allow(unsafe_code)]

use ffmpeg::Packet;
use ffmpeg::ffi;
use ffmpeg::packet::Mut;
use ffmpeg_next as ffmpeg;

/// Attaches `alpha` (a VP9 frame of the alpha stream) to `packet` the way FFmpeg's
/// libvpx wrapper does: the `BlockAdditional` ID 1 as 8 big-endian bytes, then the
/// frame.
pub(super) fn attach_alpha(packet: &mut Packet, alpha: &[u8]) -> Result<(), String> {
    const ALPHA_ID: u64 = 1;
    let id = ALPHA_ID.to_be_bytes();
    let size = id.len() + alpha.len();
    // SAFETY: `packet` is a valid, owned AVPacket. `av_packet_new_side_data`
    // allocates `size` bytes (zeroed, plus padding) that the packet owns and frees
    // when it is unreferenced, and returns null when it cannot. The ID's 8 bytes
    // and then the frame's are copied into exactly those `size` bytes, from memory
    // that cannot overlap memory just allocated; nothing else touches the packet
    // meanwhile.
    unsafe {
        let data = ffi::av_packet_new_side_data(
            packet.as_mut_ptr(),
            ffi::AVPacketSideDataType::AV_PKT_DATA_MATROSKA_BLOCKADDITIONAL,
            size,
        );
        if data.is_null() {
            return Err("out of memory for the alpha of a frame".to_owned());
        }
        std::ptr::copy_nonoverlapping(id.as_ptr(), data, id.len());
        std::ptr::copy_nonoverlapping(alpha.as_ptr(), data.add(id.len()), alpha.len());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ffmpeg::codec::packet::side_data::Type;

    #[test]
    fn alpha_is_the_block_additional_one_after_its_id() {
        let mut packet = Packet::copy(&[0x88]);
        attach_alpha(&mut packet, &[0x88, 7]).unwrap();
        let sides: Vec<_> = packet.side_data().collect();
        assert_eq!(sides.len(), 1);
        assert_eq!(sides[0].kind(), Type::MatroskaBlockAdditional);
        assert_eq!(sides[0].data(), &[0, 0, 0, 0, 0, 0, 0, 1, 0x88, 7]);
        // A clone (how packets are kept) carries it too.
        assert_eq!(packet.clone().side_data().count(), 1);
    }
}
