// RFC 6381 "codecs" parameter values, for HLS CODECS attributes (RFC 8216 4.3.4.2) and DASH
// @codecs, made from the decoder configuration records the muxers write in their sample entries:
// avc1.PPCCLL (RFC 6381 3.3, from avcC), hvc1.* (ISO/IEC 14496-15 annex E, from hvcC), av01.*
// (AV1-ISOBMFF 5 "Codecs Parameter String", from av1C), vp09.* (VP-ISOBMFF "Codecs Parameter
// String", from vpcC), mp4a.40.<aot> (RFC 6381 3.3, from the AudioSpecificConfig), mp4a.6B /
// mp4a.69 (MP3, the esds objectTypeIndication), opus, ac-3 and ec-3.
#pragma once

#include <srs_core_error.hpp>
#include <srs_kernel_codec.hpp>

#include <string>

struct SrsMp4Track;

// "avc1.64001f": profile_idc, the constraint flags byte and level_idc of an avcC, in hex.
srs_error_t srs_codec_string_avc(const std::string& avcc, std::string* out);
// "hvc1.1.6.L93.B0" from an hvcC: profile space (A/B/C or nothing) and profile_idc, the
// compatibility flags in reverse bit order in hex, L/H and level_idc, then the six constraint
// bytes in hex with trailing zero bytes left out. fourcc is the sample entry ("hvc1" or "hev1").
srs_error_t srs_codec_string_hevc(const std::string& hvcc, std::string* out, const char* fourcc = "hvc1");
// "av01.0.04M.08" from an av1C: profile, level index (2 digits) and tier, bit depth (2 digits).
// The optional fields (monochrome, chroma subsampling and position, colour, range) are added when
// the record's monochrome or chroma subsampling differs from the defaults (0, 110); the av1C
// does not carry the colour description, so those fields are the defaults 01.01.01.0.
srs_error_t srs_codec_string_av1(const std::string& av1c, std::string* out);
// "vp09.00.41.08" from a vpcC body (version and flags first): profile, level, bit depth, 2 digits
// each. The optional fields (chroma subsampling, colour primaries, transfer, matrix, full range)
// are added when the stream is not 4:2:0, is full range, or names a colour description other than
// BT.709 (1) or unspecified (2): what the short form would misstate.
srs_error_t srs_codec_string_vp9(const std::string& vpcc, std::string* out);
// "mp4a.40.2" from an AudioSpecificConfig: the audioObjectType it signals (5 for explicit HE-AAC,
// 29 for HE-AAC v2).
srs_error_t srs_codec_string_aac(const std::string& asc, std::string* out);
// MP3: the objectTypeIndication of srs_mp4_esds, "mp4a.6B" (MPEG-1) or "mp4a.69" (MPEG-2/2.5).
std::string srs_codec_string_mp3(int mp3_version);
// "opus" (as FFmpeg and browsers spell it), "ac-3", "ec-3".
std::string srs_codec_string_opus();
std::string srs_codec_string_ac3();
std::string srs_codec_string_eac3();

// The codec string of a stream's configuration (SrsFormat::vcodec(), acodec()): extra holds the
// avcC/hvcC/av1C/vpcC or the AudioSpecificConfig. An error for codecs without one (FLAC and the
// legacy FLV codecs) and for records that do not parse.
srs_error_t srs_codec_string(const SrsVideoCodecConfig& c, std::string* out);
srs_error_t srs_codec_string(const SrsAudioCodecConfig& c, std::string* out);
// The codec string of an MP4 track, matching the sample entry srs_mp4_stsd writes for it.
srs_error_t srs_codec_string(const SrsMp4Track& t, std::string* out);
