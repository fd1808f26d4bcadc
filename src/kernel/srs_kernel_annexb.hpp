// AVCC/HVCC (length-prefixed NALUs, as FLV and MP4 carry them) to Annex B byte stream (start
// codes, H.264 Annex B / H.265 Annex B), the form MPEG-TS requires (ISO 13818-1 2.14).
#pragma once

#include <srs_core_error.hpp>

#include <vector>

struct SrsVideoCodecConfig;
struct SrsVideoFrame;

// Appends one access unit in Annex B to out (which the caller reuses between frames):
// - an access unit delimiter first (H.264 NAL type 9, H.265 NAL type 35), as ISO 13818-1
//   2.14 requires for AVC in TS; an AUD already in the frame is dropped so there is one;
// - before a keyframe (FLV key flag or an IDR/IRAP NALU) that does not carry its own SPS,
//   the parameter sets of the sequence header (H.265: VPS, SPS, PPS);
// - every NALU behind a 4-byte start code.
// Fails for codecs other than AVC and HEVC.
srs_error_t srs_video_frame_to_annexb(const SrsVideoCodecConfig& cfg, const SrsVideoFrame& frame,
                                      std::vector<char>* out);
