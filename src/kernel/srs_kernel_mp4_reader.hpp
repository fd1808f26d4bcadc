// MP4 demuxer (ISO/IEC 14496-12, progressive, non-fragmented) for files made by FFmpeg: the moov's
// sample tables turned into one list of samples in decode order, interleaved across tracks by
// time, and each track's codec configuration record. It reads a file held in memory and copies no
// sample: a sample is an offset and a size into that memory. Codecs: avc1/avc3 (avcC), hev1/hvc1
// (hvcC), av01 (av1C), vp09 (vpcC), mp4a (esds, AudioSpecificConfig) and Opus (dOps).
#pragma once

#include <srs_core_error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// The demuxer's errors carry the MP4 code of the error table (named for the muxer); a code of its
// own is a one-line addition to src/core/srs_core_error_code.hpp when the table is next touched.
const SrsErrorCode ERROR_KERNEL_MP4_DEMUX = ERROR_KERNEL_MP4_MUX;

enum class SrsMp4Codec { Unknown, AVC, HEVC, AV1, VP9, AAC, Opus };

// "H.264", "HEVC", "AV1", "VP9", "AAC", "Opus" or "unknown"; for logs.
const char* srs_mp4_codec_name(SrsMp4Codec codec);

// One track of the file: what its sample entry and its media header say.
struct SrsMp4ReaderTrack {
    uint32_t id = 0;
    bool video = false;
    // The sample entry type (avc1, hev1, hvc1, av01, vp09, mp4a, Opus).
    uint32_t entry = 0;
    SrsMp4Codec codec = SrsMp4Codec::Unknown;
    uint32_t timescale = 0;
    // The configuration record: the avcC/hvcC/av1C/dOps box payload, the vpcC payload with its
    // FullBox version and flags, the AudioSpecificConfig from esds.
    std::string config;
    int width = 0;
    int height = 0;
    int channels = 0;
    int sample_rate = 0;
    // Where the media starts on the movie timeline, in the track's timescale: an initial empty edit
    // minus the first edit's media_time (B-frame delay, audio priming). Negative when the media's
    // first samples are before the movie's start.
    int64_t shift = 0;
    uint32_t nb_samples = 0;
};

// One sample, in decode order across the tracks.
struct SrsMp4ReaderSample {
    // Index into SrsMp4Demuxer::tracks().
    int track = 0;
    // Decoding time and composition offset (pts - dts) in the track's timescale, as in the file
    // (without the edit list's shift).
    int64_t dts = 0;
    int32_t cts = 0;
    // On the movie timeline (shift applied), in milliseconds: what an FLV tag carries.
    int64_t dts_ms = 0;
    int32_t cts_ms = 0;
    bool keyframe = false;
    uint64_t offset = 0;
    uint32_t size = 0;
};

// Reads the moov of an MP4 file in memory and indexes its samples. Tracks of other kinds (hint,
// text) and of other codecs are left out; a file with no video or audio track of a known codec is
// an error.
class SrsMp4Demuxer {
public:
    // Fails with ERROR_KERNEL_MP4_DEMUX (and the box path in the message) when the file is truncated,
    // a box does not fit in its parent, a table disagrees with another (more sample sizes than
    // times, a chunk past the samples), a sample lies outside the file, or the file is fragmented.
    // The data must outlive the demuxer's samples' use.
    srs_error_t parse(const char* data, size_t size);

    const std::vector<SrsMp4ReaderTrack>& tracks() const { return tracks_; }
    // Every sample of every track, sorted by dts_ms (a stable merge: at equal times, the track
    // listed first in the moov goes first).
    const std::vector<SrsMp4ReaderSample>& samples() const { return samples_; }
    const char* sample_data(const SrsMp4ReaderSample& s) const { return data_ + s.offset; }

private:
    const char* data_ = nullptr;
    size_t size_ = 0;
    std::vector<SrsMp4ReaderTrack> tracks_;
    std::vector<SrsMp4ReaderSample> samples_;
};

// Rewrites an OpusSpecificBox (dOps, big-endian) as the Opus identification header (RFC 7845 5.1,
// "OpusHead", little-endian): what FFmpeg's extradata holds and enhanced RTMP encoders send as the
// Opus SequenceStart.
srs_error_t srs_opus_dops_to_head(const std::string& dops, std::string* head);
