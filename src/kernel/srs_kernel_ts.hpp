// MPEG-TS muxing (ISO 13818-1): PAT/PMT, PES packetization with PTS/DTS and PCR, and a
// transmuxer from FLV audio/video tags, used by HLS segments and the HTTP .ts live stream.
#pragma once

#include <srs_core_error.hpp>
#include <srs_kernel_codec.hpp>

#include <vector>

class ISrsWriter;
class SrsMediaMessage;

const int SRS_TS_PACKET_SIZE = 188;
const int SRS_TS_SYNC_BYTE = 0x47;
// PIDs as SRS uses them, so tools that know SRS segments see the same layout.
const int SRS_TS_PID_PAT = 0x0000;
const int SRS_TS_PID_PMT = 0x1001;
const int SRS_TS_PID_VIDEO = 0x0100;
const int SRS_TS_PID_AUDIO = 0x0101;
// The one program of the stream.
const int SRS_TS_PROGRAM_NUMBER = 1;
// PES stream_id (ISO 13818-1 Table 2-22): first video and first audio stream.
const int SRS_TS_STREAM_ID_VIDEO = 0xe0;
const int SRS_TS_STREAM_ID_AUDIO = 0xc0;

// stream_type in the PMT (ISO 13818-1 Table 2-34).
enum SrsTsStream : uint8_t {
    SrsTsStreamReserved = 0x00,
    SrsTsStreamAudioMp3 = 0x03,       // ISO 11172-3 (MPEG-1 audio)
    SrsTsStreamAudioMp3Mpeg2 = 0x04,  // ISO 13818-3 (MPEG-2 audio, incl. 2.5)
    SrsTsStreamAudioAAC = 0x0f,       // ISO 13818-7 ADTS
    SrsTsStreamVideoH264 = 0x1b,
    SrsTsStreamVideoHEVC = 0x24,
};

// The MPEG-2 CRC32 of PSI sections (ISO 13818-1 Annex A): polynomial 0x04C11DB7, initial
// value 0xFFFFFFFF, MSB first, no final xor.
uint32_t srs_crc32_mpegts(const void* data, int size);

// The 33-bit 90 kHz clock value of a millisecond timestamp (wraps like the TS clock does).
inline int64_t srs_ts_clock_90k(int64_t ms) {
    return (ms * 90) & 0x1ffffffffLL;
}

// Packetizes PSI and PES into 188-byte TS packets, keeping the continuity counter of each PID
// (ISO 13818-1 2.4.3.3). encode_* append to an internal buffer that is reused; flush() hands
// it to the writer in one write.
class SrsTsMuxer {
public:
    explicit SrsTsMuxer(ISrsWriter* writer);
    ~SrsTsMuxer();
    SRS_DISALLOW_COPY(SrsTsMuxer);

public:
    // Where flush() writes; the continuity counters keep running across writers, which is
    // what consecutive HLS segments of one stream need.
    void set_writer(ISrsWriter* writer) { writer_ = writer; }
    // The elementary streams of the program; Reserved for none. A change bumps the PMT version.
    void set_streams(SrsTsStream video, SrsTsStream audio);
    SrsTsStream video_stream() const { return video_; }
    SrsTsStream audio_stream() const { return audio_; }
    // The PID that carries the PCR: video when there is video, else audio.
    int pcr_pid() const;

    // One PAT packet then one PMT packet.
    srs_error_t encode_pat_pmt();
    // One PES on the video or audio PID. pts/dts in 90 kHz; DTS is coded only when it
    // differs from PTS (always for audio). random_access sets the random_access_indicator
    // (keyframes); the PCR goes into the first packet when pcr is true, with value dts.
    srs_error_t encode_pes(bool video, int64_t pts, int64_t dts, bool random_access, bool pcr, const char* data,
                           int size);
    // Writes what was encoded since the last flush.
    srs_error_t flush();
    // Encoded and not yet flushed bytes (for tests and batching).
    const std::vector<char>& pending() const { return packets_; }

    // encode_pat_pmt + flush.
    srs_error_t write_pat_pmt();

private:
    char* new_packet();
    void encode_psi(int pid, uint8_t* cc, const uint8_t* section, int size);

private:
    ISrsWriter* writer_;
    SrsTsStream video_ = SrsTsStreamReserved;
    SrsTsStream audio_ = SrsTsStreamReserved;
    int pmt_version_ = 0;
    uint8_t cc_pat_ = 0;
    uint8_t cc_pmt_ = 0;
    uint8_t cc_video_ = 0;
    uint8_t cc_audio_ = 0;
    std::vector<char> packets_;
};

// FLV audio/video tags in, MPEG-TS out: parses the tags with SrsFormat, converts video to
// Annex B (with AUD and parameter sets on keyframes) and AAC to ADTS, and muxes them as
// H.264/HEVC + AAC/MP3 with PAT/PMT at the start of each writer (segment), on every video
// keyframe and at least every second. One instance per output stream (its continuity
// counters are per stream).
class SrsTsTransmuxer {
public:
    explicit SrsTsTransmuxer(ISrsWriter* writer);
    ~SrsTsTransmuxer();
    SRS_DISALLOW_COPY(SrsTsTransmuxer);

public:
    // Starts a new segment on writer: buffered audio goes to the previous writer, and the
    // next frame is preceded by PAT/PMT. Codec state and timestamps carry over.
    srs_error_t set_writer(ISrsWriter* writer);
    // Merge consecutive AAC/MP3 frames into one PES until they span this many ms (0, the
    // default, writes one PES per frame). Saves TS overhead for HLS at some latency.
    void set_audio_merge_ms(int ms) { audio_merge_ms_ = ms; }

    // FLV tag bodies with their timestamp in ms. Sequence headers only update the codec
    // state; frames of codecs that TS cannot carry are dropped (logged once).
    srs_error_t write_audio(int64_t timestamp, const char* data, int size);
    srs_error_t write_video(int64_t timestamp, const char* data, int size);
    // Dispatches on the message type; script data is ignored.
    srs_error_t write_message(const SrsMediaMessage& msg);
    // Writes buffered (merged) audio.
    srs_error_t flush_audio();

    // The parsed codec state, e.g. for segmenting on keyframes.
    const SrsFormat& format() const { return format_; }
    SrsTsMuxer& muxer() { return muxer_; }

private:
    srs_error_t update_streams();
    srs_error_t write_pat_pmt_if_needed(int64_t dts, bool keyframe);

private:
    SrsTsMuxer muxer_;
    SrsFormat format_;
    bool pat_pmt_pending_ = true;
    int64_t last_pat_pmt_dts_ = 0;
    int audio_merge_ms_ = 0;
    // Reused buffers: the Annex B access unit and the (merged) ADTS/MP3 audio PES payload.
    std::vector<char> video_buf_;
    std::vector<char> audio_buf_;
    int64_t audio_buf_dts_ = 0;
    bool warned_video_codec_ = false;
    bool warned_audio_codec_ = false;
};
