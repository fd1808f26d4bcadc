#include <srs_kernel_ts.hpp>

#include <srs_core_io.hpp>
#include <srs_core_log.hpp>
#include <srs_kernel_aac.hpp>
#include <srs_kernel_annexb.hpp>
#include <srs_kernel_message.hpp>

#include <array>
#include <cstring>

namespace {

constexpr std::array<uint32_t, 256> srs_crc32_mpegts_table() {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;
        for (int j = 0; j < 8; j++) {
            c = (c & 0x80000000) ? (c << 1) ^ 0x04c11db7 : (c << 1);
        }
        t[i] = c;
    }
    return t;
}

constexpr std::array<uint32_t, 256> kCrcTable = srs_crc32_mpegts_table();

// The PES header is at most 6 + 3 + 10 bytes (PTS and DTS).
const int kMaxPesHeader = 19;
// An audio PES must fit PES_packet_length (16 bits) with its header.
const int kMaxAudioPesPayload = 65535 - 3 - 5;

// ISO 13818-1 2.4.3.7: a 33-bit PTS/DTS in 5 bytes with marker bits.
void write_pes_timestamp(uint8_t* p, int prefix, int64_t ts) {
    ts &= 0x1ffffffffLL;
    p[0] = (uint8_t)((prefix << 4) | ((ts >> 29) & 0x0e) | 0x01);
    p[1] = (uint8_t)(ts >> 22);
    p[2] = (uint8_t)(((ts >> 14) & 0xfe) | 0x01);
    p[3] = (uint8_t)(ts >> 7);
    p[4] = (uint8_t)(((ts << 1) & 0xfe) | 0x01);
}

// ISO 13818-1 2.4.3.5: program_clock_reference_base (33 bits), 6 reserved bits, extension (9).
void write_pcr(uint8_t* p, int64_t base) {
    base &= 0x1ffffffffLL;
    p[0] = (uint8_t)(base >> 25);
    p[1] = (uint8_t)(base >> 17);
    p[2] = (uint8_t)(base >> 9);
    p[3] = (uint8_t)(base >> 1);
    p[4] = (uint8_t)(((base & 0x01) << 7) | 0x7e);
    p[5] = 0x00;
}

}  // namespace

uint32_t srs_crc32_mpegts(const void* data, int size) {
    const uint8_t* p = (const uint8_t*)data;
    uint32_t crc = 0xffffffff;
    for (int i = 0; i < size; i++) {
        crc = (crc << 8) ^ kCrcTable[((crc >> 24) ^ p[i]) & 0xff];
    }
    return crc;
}

SrsTsMuxer::SrsTsMuxer(ISrsWriter* writer) : writer_(writer) {
    packets_.reserve(64 * SRS_TS_PACKET_SIZE);
}

SrsTsMuxer::~SrsTsMuxer() = default;

void SrsTsMuxer::set_streams(SrsTsStream video, SrsTsStream audio) {
    if (video == video_ && audio == audio_) {
        return;
    }
    video_ = video;
    audio_ = audio;
    // version_number is 5 bits (ISO 13818-1 2.4.4.9).
    pmt_version_ = (pmt_version_ + 1) & 0x1f;
}

int SrsTsMuxer::pcr_pid() const {
    return video_ != SrsTsStreamReserved ? SRS_TS_PID_VIDEO : SRS_TS_PID_AUDIO;
}

char* SrsTsMuxer::new_packet() {
    size_t pos = packets_.size();
    packets_.resize(pos + SRS_TS_PACKET_SIZE);
    return packets_.data() + pos;
}

void SrsTsMuxer::encode_psi(int pid, uint8_t* cc, const uint8_t* section, int size) {
    uint8_t* p = (uint8_t*)new_packet();
    p[0] = SRS_TS_SYNC_BYTE;
    // payload_unit_start_indicator: the section starts here, after the pointer_field.
    p[1] = (uint8_t)(0x40 | ((pid >> 8) & 0x1f));
    p[2] = (uint8_t)pid;
    // adaptation_field_control 01: payload only.
    p[3] = (uint8_t)(0x10 | (*cc & 0x0f));
    *cc = (*cc + 1) & 0x0f;
    p[4] = 0x00;  // pointer_field
    memcpy(p + 5, section, size);
    uint32_t crc = srs_crc32_mpegts(section, size);
    uint8_t* c = p + 5 + size;
    c[0] = (uint8_t)(crc >> 24);
    c[1] = (uint8_t)(crc >> 16);
    c[2] = (uint8_t)(crc >> 8);
    c[3] = (uint8_t)crc;
    // The rest of the packet is stuffing (2.4.4.2: 0xFF after the section).
    memset(c + 4, 0xff, SRS_TS_PACKET_SIZE - (5 + size + 4));
}

srs_error_t SrsTsMuxer::encode_pat_pmt() {
    if (video_ == SrsTsStreamReserved && audio_ == SrsTsStreamReserved) {
        return srs_error_new(ERROR_KERNEL_TS_MUX, "ts: no stream in the program");
    }

    // PAT (2.4.4.3): one program, section_length = 5 (after it) + 4 (program) + 4 (CRC).
    uint8_t pat[12];
    pat[0] = 0x00;  // table_id
    pat[1] = 0xb0;  // section_syntax_indicator 1, '0', reserved '11', section_length high 4 bits
    pat[2] = 13;
    pat[3] = 0x00;  // transport_stream_id
    pat[4] = 0x01;
    pat[5] = 0xc1;  // reserved '11', version 0, current_next_indicator 1
    pat[6] = 0x00;  // section_number
    pat[7] = 0x00;  // last_section_number
    pat[8] = (uint8_t)(SRS_TS_PROGRAM_NUMBER >> 8);
    pat[9] = (uint8_t)SRS_TS_PROGRAM_NUMBER;
    pat[10] = (uint8_t)(0xe0 | (SRS_TS_PID_PMT >> 8));
    pat[11] = (uint8_t)SRS_TS_PID_PMT;
    encode_psi(SRS_TS_PID_PAT, &cc_pat_, pat, sizeof(pat));

    // PMT (2.4.4.8): 9 bytes after section_length, 5 per stream, 4 of CRC.
    uint8_t pmt[12 + 2 * 5];
    int nb_streams = (video_ != SrsTsStreamReserved) + (audio_ != SrsTsStreamReserved);
    int section_length = 9 + 5 * nb_streams + 4;
    int pcr = pcr_pid();
    pmt[0] = 0x02;  // table_id
    pmt[1] = (uint8_t)(0xb0 | (section_length >> 8));
    pmt[2] = (uint8_t)section_length;
    pmt[3] = (uint8_t)(SRS_TS_PROGRAM_NUMBER >> 8);
    pmt[4] = (uint8_t)SRS_TS_PROGRAM_NUMBER;
    pmt[5] = (uint8_t)(0xc1 | (pmt_version_ << 1));
    pmt[6] = 0x00;
    pmt[7] = 0x00;
    pmt[8] = (uint8_t)(0xe0 | (pcr >> 8));
    pmt[9] = (uint8_t)pcr;
    pmt[10] = 0xf0;  // reserved '1111', program_info_length 0
    pmt[11] = 0x00;
    int n = 12;
    auto add_stream = [&](SrsTsStream type, int pid) {
        pmt[n++] = (uint8_t)type;
        pmt[n++] = (uint8_t)(0xe0 | (pid >> 8));
        pmt[n++] = (uint8_t)pid;
        pmt[n++] = 0xf0;  // ES_info_length 0
        pmt[n++] = 0x00;
    };
    if (video_ != SrsTsStreamReserved) {
        add_stream(video_, SRS_TS_PID_VIDEO);
    }
    if (audio_ != SrsTsStreamReserved) {
        add_stream(audio_, SRS_TS_PID_AUDIO);
    }
    encode_psi(SRS_TS_PID_PMT, &cc_pmt_, pmt, n);
    return srs_success;
}

srs_error_t SrsTsMuxer::encode_pes(bool video, int64_t pts, int64_t dts, bool random_access, bool pcr, const char* data,
                                   int size) {
    if (size <= 0) {
        return srs_error_new(ERROR_KERNEL_TS_MUX, "ts: empty PES");
    }
    if (!video && size > kMaxAudioPesPayload) {
        return srs_error_new(ERROR_KERNEL_TS_MUX, "ts: audio PES of %d bytes", size);
    }
    int pid = video ? SRS_TS_PID_VIDEO : SRS_TS_PID_AUDIO;
    uint8_t* cc = video ? &cc_video_ : &cc_audio_;
    pts &= 0x1ffffffffLL;
    dts &= 0x1ffffffffLL;

    // PES header (2.4.3.6).
    uint8_t h[kMaxPesHeader];
    bool with_dts = video && dts != pts;
    int header_data_length = with_dts ? 10 : 5;
    int hlen = 9 + header_data_length;
    h[0] = 0x00;
    h[1] = 0x00;
    h[2] = 0x01;
    h[3] = (uint8_t)(video ? SRS_TS_STREAM_ID_VIDEO : SRS_TS_STREAM_ID_AUDIO);
    // PES_packet_length: 0 (unbounded) is allowed for video in TS only (2.4.3.7).
    int pes_length = video ? 0 : (3 + header_data_length + size);
    if (video && (3 + header_data_length + size) <= 0xffff) {
        pes_length = 3 + header_data_length + size;
    }
    h[4] = (uint8_t)(pes_length >> 8);
    h[5] = (uint8_t)pes_length;
    // '10', not scrambled, data_alignment_indicator for video (each PES starts with an AUD).
    h[6] = video ? 0x84 : 0x80;
    h[7] = with_dts ? 0xc0 : 0x80;  // PTS_DTS_flags
    h[8] = (uint8_t)header_data_length;
    write_pes_timestamp(h + 9, with_dts ? 0x03 : 0x02, pts);
    if (with_dts) {
        write_pes_timestamp(h + 14, 0x01, dts);
    }

    // Two segments, the header and the payload, cut into packets.
    const uint8_t* seg[2] = {h, (const uint8_t*)data};
    int seg_left[2] = {hlen, size};
    int si = 0;
    int left = hlen + size;
    bool first = true;
    while (left > 0) {
        uint8_t* p = (uint8_t*)new_packet();
        p[0] = SRS_TS_SYNC_BYTE;
        p[1] = (uint8_t)((first ? 0x40 : 0x00) | ((pid >> 8) & 0x1f));
        p[2] = (uint8_t)pid;

        // Adaptation field (2.4.3.4): flags and PCR in the first packet, stuffing in the last.
        bool want_flags = first && (random_access || pcr);
        int af_size = want_flags ? (2 + (pcr ? 6 : 0)) : 0;  // length byte + flags + PCR
        int room = 184 - af_size;
        int stuffing = 0;
        if (left < room) {
            stuffing = room - left;
            if (af_size == 0) {
                // An adaptation field of one byte (length 0) or of length byte + flags + 0xFF...
                af_size = stuffing;
            } else {
                af_size += stuffing;
            }
            room = left;
        }

        p[3] = (uint8_t)((af_size > 0 ? 0x30 : 0x10) | (*cc & 0x0f));
        *cc = (*cc + 1) & 0x0f;
        uint8_t* q = p + 4;
        if (af_size > 0) {
            q[0] = (uint8_t)(af_size - 1);  // adaptation_field_length
            if (af_size > 1) {
                uint8_t flags = 0;
                if (want_flags && random_access) {
                    flags |= 0x40;
                }
                if (want_flags && pcr) {
                    flags |= 0x10;
                }
                q[1] = flags;
                int used = 2;
                if (want_flags && pcr) {
                    write_pcr(q + 2, dts);
                    used += 6;
                }
                memset(q + used, 0xff, af_size - used);
            }
            q += af_size;
        }

        int copy = room;
        while (copy > 0) {
            int n = seg_left[si] < copy ? seg_left[si] : copy;
            memcpy(q, seg[si], n);
            q += n;
            seg[si] += n;
            seg_left[si] -= n;
            copy -= n;
            left -= n;
            if (seg_left[si] == 0) {
                si++;
            }
        }
        first = false;
    }
    return srs_success;
}

srs_error_t SrsTsMuxer::flush() {
    if (packets_.empty()) {
        return srs_success;
    }
    if (!writer_) {
        packets_.clear();
        return srs_error_new(ERROR_KERNEL_TS_MUX, "ts: no writer");
    }
    srs_error_t err = writer_->write(packets_.data(), packets_.size(), nullptr);
    packets_.clear();
    if (err != srs_success) {
        return srs_error_wrap(err, "ts: write");
    }
    return srs_success;
}

srs_error_t SrsTsMuxer::write_pat_pmt() {
    srs_error_t err = encode_pat_pmt();
    if (err != srs_success) {
        return err;
    }
    return flush();
}

SrsTsTransmuxer::SrsTsTransmuxer(ISrsWriter* writer) : muxer_(writer) {
    video_buf_.reserve(64 * 1024);
    audio_buf_.reserve(4 * 1024);
}

SrsTsTransmuxer::~SrsTsTransmuxer() = default;

srs_error_t SrsTsTransmuxer::set_writer(ISrsWriter* writer) {
    srs_error_t err = flush_audio();
    muxer_.set_writer(writer);
    pat_pmt_pending_ = true;
    if (err != srs_success) {
        return srs_error_wrap(err, "flush audio of the previous segment");
    }
    return srs_success;
}

srs_error_t SrsTsTransmuxer::write_message(const SrsMediaMessage& msg) {
    if (msg.is_audio()) {
        return write_audio(msg.timestamp, msg.data(), msg.size());
    }
    if (msg.is_video()) {
        return write_video(msg.timestamp, msg.data(), msg.size());
    }
    return srs_success;
}

srs_error_t SrsTsTransmuxer::update_streams() {
    SrsTsStream vs = SrsTsStreamReserved, as = SrsTsStreamReserved;
    if (format_.has_video_config()) {
        SrsVideoCodecId id = format_.vcodec().id;
        vs = id == SrsVideoCodecIdAVC ? SrsTsStreamVideoH264
                                      : (id == SrsVideoCodecIdHEVC ? SrsTsStreamVideoHEVC : SrsTsStreamReserved);
    }
    if (format_.has_audio_config()) {
        const SrsAudioCodecConfig& a = format_.acodec();
        if (a.id == SrsAudioCodecIdAAC) {
            as = SrsTsStreamAudioAAC;
        } else if (a.id == SrsAudioCodecIdMP3 || a.id == SrsAudioCodecIdMP38kHz) {
            as = a.mp3_version == 1 ? SrsTsStreamAudioMp3 : SrsTsStreamAudioMp3Mpeg2;
        }
    }
    if (vs != muxer_.video_stream() || as != muxer_.audio_stream()) {
        muxer_.set_streams(vs, as);
        pat_pmt_pending_ = true;
    }
    return srs_success;
}

srs_error_t SrsTsTransmuxer::write_pat_pmt_if_needed(int64_t dts, bool keyframe) {
    // At segment start and codec changes; again on keyframes and at least every second so
    // a player joining the HTTP stream mid-way finds the program soon.
    if (!pat_pmt_pending_ && !keyframe && dts - last_pat_pmt_dts_ < 1000 && dts >= last_pat_pmt_dts_) {
        return srs_success;
    }
    srs_error_t err = muxer_.encode_pat_pmt();
    if (err != srs_success) {
        return err;
    }
    pat_pmt_pending_ = false;
    last_pat_pmt_dts_ = dts;
    return srs_success;
}

srs_error_t SrsTsTransmuxer::write_video(int64_t timestamp, const char* data, int size) {
    srs_error_t err = srs_success;
    if ((err = format_.on_video(timestamp, data, size)) != srs_success) {
        return srs_error_wrap(err, "ts: parse video");
    }
    const SrsVideoFrame& frame = format_.video();
    if (frame.packet_type != SrsVideoPacketCodedFrames && frame.packet_type != SrsVideoPacketCodedFramesX) {
        return update_streams();
    }
    if (!format_.has_video_config() || frame.samples.empty()) {
        return srs_success;
    }
    const SrsVideoCodecConfig& cfg = format_.vcodec();
    if (cfg.id != SrsVideoCodecIdAVC && cfg.id != SrsVideoCodecIdHEVC) {
        if (!warned_video_codec_) {
            srs_warn("ts: %s video is not carried in MPEG-TS (H.264 and HEVC only), left out",
                     srs_video_codec_id2str(cfg.id));
            warned_video_codec_ = true;
        }
        return srs_success;
    }
    if ((err = update_streams()) != srs_success) {
        return err;
    }

    video_buf_.clear();
    if ((err = srs_video_frame_to_annexb(cfg, frame, &video_buf_)) != srs_success) {
        return srs_error_wrap(err, "ts: annexb");
    }
    bool keyframe = frame.keyframe || frame.has_idr;
    if ((err = write_pat_pmt_if_needed(frame.dts, keyframe)) != srs_success) {
        return srs_error_wrap(err, "ts: pat/pmt");
    }
    int64_t dts = srs_ts_clock_90k(frame.dts);
    int64_t pts = srs_ts_clock_90k(frame.dts + frame.cts);
    // PCR on every video PES: frames are at most tens of ms apart, within the 100 ms the
    // spec asks for (ISO 13818-1 2.7.2).
    if ((err = muxer_.encode_pes(true, pts, dts, keyframe, true, video_buf_.data(), (int)video_buf_.size())) !=
        srs_success) {
        return srs_error_wrap(err, "ts: video pes");
    }
    if ((err = muxer_.flush()) != srs_success) {
        return err;
    }
    return srs_success;
}

srs_error_t SrsTsTransmuxer::write_audio(int64_t timestamp, const char* data, int size) {
    srs_error_t err = srs_success;
    if ((err = format_.on_audio(timestamp, data, size)) != srs_success) {
        return srs_error_wrap(err, "ts: parse audio");
    }
    const SrsAudioFrame& frame = format_.audio();
    if (frame.sequence_header) {
        return update_streams();
    }
    if (!format_.has_audio_config() || frame.samples.empty()) {
        return srs_success;
    }
    const SrsAudioCodecConfig& cfg = format_.acodec();
    bool aac = cfg.id == SrsAudioCodecIdAAC;
    bool mp3 = cfg.id == SrsAudioCodecIdMP3 || cfg.id == SrsAudioCodecIdMP38kHz;
    if (!aac && !mp3) {
        if (!warned_audio_codec_) {
            srs_warn("ts: %s audio is not carried in MPEG-TS (AAC and MP3 only), left out",
                     srs_audio_codec_id2str(cfg.id));
            warned_audio_codec_ = true;
        }
        return srs_success;
    }
    if ((err = update_streams()) != srs_success) {
        return err;
    }

    // A gap or a reordering ends the merged PES, so its single PTS stays true.
    if (!audio_buf_.empty() && (frame.dts < audio_buf_dts_ || frame.dts - audio_buf_dts_ > audio_merge_ms_ + 1000)) {
        if ((err = flush_audio()) != srs_success) {
            return err;
        }
    }
    for (const SrsSample& s : frame.samples) {
        int need = s.size + (aac ? SRS_ADTS_HEADER_SIZE : 0);
        if (!audio_buf_.empty() && (int)audio_buf_.size() + need > kMaxAudioPesPayload) {
            if ((err = flush_audio()) != srs_success) {
                return err;
            }
        }
        if (audio_buf_.empty()) {
            audio_buf_dts_ = frame.dts;
        }
        if (aac) {
            char adts[SRS_ADTS_HEADER_SIZE];
            if ((err = srs_adts_write_header(cfg, s.size, adts)) != srs_success) {
                return srs_error_wrap(err, "ts: adts");
            }
            audio_buf_.insert(audio_buf_.end(), adts, adts + SRS_ADTS_HEADER_SIZE);
        }
        audio_buf_.insert(audio_buf_.end(), s.data, s.data + s.size);
    }
    if (frame.dts - audio_buf_dts_ >= audio_merge_ms_) {
        return flush_audio();
    }
    return srs_success;
}

srs_error_t SrsTsTransmuxer::flush_audio() {
    srs_error_t err = srs_success;
    if (audio_buf_.empty()) {
        return srs_success;
    }
    if ((err = write_pat_pmt_if_needed(audio_buf_dts_, false)) != srs_success) {
        audio_buf_.clear();
        return srs_error_wrap(err, "ts: pat/pmt");
    }
    int64_t pts = srs_ts_clock_90k(audio_buf_dts_);
    // Without video the audio PID carries the PCR.
    bool pcr = muxer_.pcr_pid() == SRS_TS_PID_AUDIO;
    err = muxer_.encode_pes(false, pts, pts, false, pcr, audio_buf_.data(), (int)audio_buf_.size());
    audio_buf_.clear();
    if (err != srs_success) {
        return srs_error_wrap(err, "ts: audio pes");
    }
    return muxer_.flush();
}
