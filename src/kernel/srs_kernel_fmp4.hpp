// Fragmented MP4 (ISO/IEC 14496-12 8.8, movie fragments) in the CMAF shape (ISO/IEC 23000-19):
// an init segment (ftyp + moov with mvex/trex, one trak per track, empty sample tables) and
// media fragments (optional styp, moof/mfhd/traf/tfhd/tfdt/trun, mdat) from FLV tag bodies.
// One muxer serves the HTTP-MP4 live body, and is shaped for HLS fMP4 and DASH: the caller
// decides where a fragment ends (before a keyframe for a segment, at any sample for an LL-HLS
// part), decode times stay continuous across fragments and across a republish (new_epoch()).
//
// The moov's boxes (tkhd, mdhd, hdlr, stsd...), each track's sample entry and each video
// sample's bytes come from srs_kernel_mp4, shared with the DVR's progressive writer: every codec
// it carries (H.264, H.265, AV1, VP9; AAC, Opus, MP3, AC-3, E-AC-3) is fragmented the same way.
#pragma once

#include <srs_core_error.hpp>
#include <srs_kernel_mp4.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

class SrsFormat;

// Video decode times are in 1/90000 s: the MPEG-TS clock, so an fMP4 segment and a TS segment
// of the same stream say the same times (HLS, DASH and TS can be compared sample for sample),
// FLV's milliseconds convert exactly (x90), and 25/30/60 fps frame durations are whole ticks.
const uint32_t SRS_FMP4_VIDEO_TIMESCALE = 90000;
// The trun sample flags (14496-12 8.8.3.1): a sync sample depends on no other
// (sample_depends_on 2); a non-sync sample depends on others (1) and sets
// sample_is_non_sync_sample.
const uint32_t SRS_FMP4_FLAGS_SYNC = 0x02000000;
const uint32_t SRS_FMP4_FLAGS_NON_SYNC = 0x01010000;

// One sample of a fragment, in its track's timescale.
struct SrsFmp4Sample {
    // Decode time, and the composition offset (pts - dts, may be negative).
    int64_t dts = 0;
    int32_t cts = 0;
    // Next sample's dts - dts.
    uint32_t duration = 0;
    uint32_t size = 0;
    bool sync = true;
};

// One track's run in a fragment: its samples, whose bytes follow in the mdat in track order.
struct SrsFmp4Run {
    uint32_t track_id = 1;
    std::vector<SrsFmp4Sample> samples;
};

// The boxes, each whole, for the muxer and the tests.
// ftyp of an init segment: major brand iso6 (tfdt v1 and signed trun offsets need 14496-12
// 2012+), compatible iso6, cmfc (CMAF track), iso5, dash.
std::string srs_fmp4_ftyp();
// styp of a media segment (CMAF 7.3.2.3, DASH 6.3.4.2): msdh, compatible msdh, msix, cmfs.
std::string srs_fmp4_styp();
// The moov of an init segment: mvhd, a trak per track (no samples), mvex with a trex per track.
std::string srs_fmp4_moov(const std::vector<const SrsMp4Track*>& tracks);
// A moof for runs whose bytes follow in one mdat right after it, in the order of the runs:
// each trun's data_offset counts from the moof's first byte (tfhd default-base-is-moof).
std::string srs_fmp4_moof(uint32_t sequence_number, const std::vector<SrsFmp4Run>& runs);
// The mdat header of a payload of size bytes (32-bit size, or largesize past 4 GiB).
std::string srs_fmp4_mdat_header(uint64_t payload);

// Sets up a track for fragments from the format's state: its sample entry as the DVR's MP4 has
// it (srs_mp4_track_set_video / srs_mp4_track_set_audio, shared), then what fragments add: the
// track id, the timescale (video 90 kHz, audio its sampling rate) and frame_samples, the fixed
// number of audio samples per frame that audio timing snaps to (AAC-LC 1024, MP3 1152, AC-3
// 1536; 0 when it varies). *ready false for a codec not carried or a configuration not there
// yet (MP3, AC-3, E-AC-3 take theirs from a frame); an error when it does not parse.
srs_error_t srs_fmp4_track_setup(const SrsFormat& format, SrsMp4TrackKind kind, SrsMp4Track* t, uint32_t* frame_samples,
                                 bool* ready);

// What the last write_video / write_audio did, for the caller's cutting rule.
struct SrsFmp4Input {
    // A media sample was queued (not a sequence header, not dropped).
    bool sample = false;
    bool video = false;
    bool keyframe = false;
    // Its decode time in ms, as given, and its composition offset (pts - dts) in ms.
    int64_t timestamp = 0;
    int32_t cts = 0;
};

// The fragmenter. Feed it FLV audio/video tag bodies in order (legacy or enhanced RTMP); it
// holds back the last sample of each track until the next one gives its duration (next dts -
// dts), so a fragment holds every sample of each track but its last. Cut fragments with
// fragment(); flush() cuts everything, the held-back samples with their previous duration.
//
// Times: the first sample maps to decode time 0 on every track (one offset for all tracks keeps
// them in sync); new_epoch() (a republish) moves the offset so the next sample continues after
// the latest end of any track; a track's time going back by more than 1 s, or on by more than
// 10 s, is a new epoch too, a smaller step back keeps the sample at the previous time (zero duration) and its pts.
// Audio with a fixed frame size snaps to whole frames while the timestamps stay within half a
// frame of them (FLV's milliseconds jitter by one), so durations are exact and gapless.
// Samples before the first video keyframe are dropped when there is a video track, so the
// first fragment starts with a sync sample on every track; so are a track's first samples
// that come out before time 0 (audio a little older than that keyframe).
class SrsFmp4Muxer {
public:
    SrsFmp4Muxer();
    ~SrsFmp4Muxer();
    SRS_DISALLOW_COPY(SrsFmp4Muxer);

public:
    // An FLV video tag body (E.4.3, or an enhanced RTMP one): a sequence header sets the track,
    // a coded frame is queued as srs_mp4_video_sample makes it (NALUs length-prefixed as the
    // avcC/hvcC says, AV1 without temporal delimiters, VP9 as sent; a VP9 track is described once
    // its first key frame gives the size). Tags that do not parse, or of a codec not supported,
    // are dropped (a warning once), not an error.
    srs_error_t write_video(int64_t timestamp, const char* data, int size);
    srs_error_t write_audio(int64_t timestamp, const char* data, int size);
    const SrsFmp4Input& last_input() const { return input_; }

    // Whether each track that is wanted has its configuration, so the init segment can be made.
    bool ready(bool want_video, bool want_audio) const;
    bool has_video() const { return video_.described(); }
    bool has_audio() const { return audio_.described(); }
    // A track's configuration once described (null before), for a caller that packages each track
    // on its own (DASH: an init segment, a codec string and a Representation per track).
    const SrsMp4Track* video_track() const { return video_.described() ? &video_.mp4 : nullptr; }
    const SrsMp4Track* audio_track() const { return audio_.described() ? &audio_.mp4 : nullptr; }
    // Bumped each time a track's configuration changes: a new init segment is due. The samples
    // queued before the change belong to the old one: flush() them before the new init
    // segment (HLS/DASH), or end the body (HTTP-MP4, which has one init segment).
    uint32_t config_version() const { return config_version_; }
    // ftyp + moov of the configured tracks.
    std::string init_segment() const;

    // Whether a fragment would hold any sample, and how long the queued samples (the held-back
    // one included, by dts) span in ms, for a duration rule.
    bool has_fragment() const;
    int64_t queued_ms() const;
    // Appends to out a fragment (styp if asked, moof, mdat) of every queued sample whose
    // duration is known; nothing when there is none.
    srs_error_t fragment(bool styp, std::string* out);
    // As fragment(), with the held-back samples too (the end of a stream or of an epoch).
    srs_error_t flush(bool styp, std::string* out);
    // A republish: the held-back samples stay queued with their previous duration, and the
    // next sample's time continues after them whatever its timestamp. The tracks keep their
    // configuration until new sequence headers replace it.
    void new_epoch();
    // Drops every queued sample (a caller that cannot use them yet), and waits for a keyframe.
    void discard();

    // The runs of the last fragment written, for the tests.
    const std::vector<SrsFmp4Run>& last_runs() const { return runs_; }
    uint32_t sequence_number() const { return sequence_; }

private:
    struct Track {
        SrsMp4Track mp4;
        bool configured = false;
        uint32_t frame_samples = 0;
        // Queued samples and their bytes; the last one is held back until the next sample (its
        // duration is a guess until then).
        std::vector<SrsFmp4Sample> samples;
        std::string data;
        // How many of the queued samples have their final duration (all but the held-back one,
        // or all after new_epoch()).
        size_t known = 0;
        // The last sample's dts (-1 before any), and the last real duration.
        int64_t last_dts = -1;
        uint32_t last_duration = 0;
        // Where the last sample cut into a fragment ends, when none is queued.
        int64_t tail_end = 0;
        // Where the last sample ends (its duration may be a guess).
        int64_t end() const;
        // A frame's guessed duration before any real one is known.
        uint32_t default_duration() const;
        // Configured and its sample entry complete (a VP9 track has its key frame's size).
        bool described() const { return configured && srs_mp4_track_complete(mp4); }
    };

private:
    // Queues the sample whose bytes were just appended to t->data; *queued false when dropped.
    srs_error_t queue(Track* t, int64_t timestamp, int32_t cts_ms, bool sync, bool* queued);
    srs_error_t cut(bool all, bool styp, std::string* out);
    int64_t map_time(Track* t, int64_t timestamp);

private:
    std::unique_ptr<SrsFormat> format_;
    Track video_;
    Track audio_;
    SrsFmp4Input input_;
    uint32_t config_version_ = 0;
    uint32_t sequence_ = 0;
    // Input ms + offset_ms_ = output ms; unset until the first sample of an epoch.
    bool has_offset_ = false;
    int64_t offset_ms_ = 0;
    // Waiting for a video keyframe to start (when there is a video track).
    bool wait_keyframe_ = true;
    bool warned_video_ = false;
    bool warned_audio_ = false;
    std::vector<SrsFmp4Run> runs_;
    // Scratch for srs_mp4_video_sample: NALU length prefixes, AV1 OBU spans, the sample's spans.
    std::vector<char> prefixes_;
    std::vector<SrsSample> obus_;
    std::vector<iovec> iovs_;
};
