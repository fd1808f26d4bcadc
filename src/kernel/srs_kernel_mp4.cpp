#include <srs_kernel_mp4.hpp>

#include <srs_core_io.hpp>
#include <srs_core_log.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_kernel_codec.hpp>
#include <srs_kernel_codec_config.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_mp4_box.hpp>

#include <algorithm>

namespace {

// An MPEG-4 descriptor (14496-1 8.3.3): tag, then the size in 7-bit groups.
void put_descriptor(SrsMp4BoxWriter* b, uint8_t tag, const std::string& body) {
    b->u8(tag);
    uint32_t n = (uint32_t)body.size();
    uint8_t groups[4];
    int count = 0;
    do {
        groups[count++] = n & 0x7f;
        n >>= 7;
    } while (n > 0 && count < 4);
    for (int i = count - 1; i >= 0; i--) {
        b->u8(groups[i] | (i > 0 ? 0x80 : 0));
    }
    b->bytes(body);
}

}  // namespace

uint32_t SrsMp4Track::last_sample_duration() const {
    size_t n = samples.size();
    if (n >= 2) {
        return (uint32_t)std::max<int64_t>(0, samples[n - 1].dts - samples[n - 2].dts);
    }
    if (kind == SrsMp4TrackKind::Audio && sample_rate > 0) {
        // Samples per frame: Opus 20 ms (the usual frame), MP3 1152 (MPEG-1 layer III), AC-3 and
        // E-AC-3 1536 (6 blocks), AAC 1024.
        SrsAudioCodecId codec = srs_mp4_track_acodec(*this);
        uint64_t n = 1024;
        if (codec == SrsAudioCodecIdOpus) {
            n = 960;
        } else if (codec == SrsAudioCodecIdMP3) {
            n = 1152;
        } else if (codec == SrsAudioCodecIdAC3 || codec == SrsAudioCodecIdEAC3) {
            n = 1536;
        }
        return (uint32_t)(n * timescale / sample_rate);
    }
    return timescale / 25;
}

uint64_t SrsMp4Track::duration() const {
    if (samples.empty()) {
        return 0;
    }
    return (uint64_t)(samples.back().dts - samples.front().dts) + last_sample_duration();
}

void SrsMp4Track::add_sample(const SrsMp4Sample& s, bool contiguous) {
    if (contiguous && !chunks.empty()) {
        chunks.back().nb_samples++;
    } else {
        chunks.push_back(SrsMp4Chunk{s.offset, 1});
    }
    samples.push_back(s);
}

std::string srs_mp4_ftyp() {
    // 14496-12 4.3: major brand isom, minor version 512, compatible brands as ffmpeg's mp4 muxer.
    SrsMp4BoxWriter b;
    b.begin("ftyp");
    b.fourcc("isom");
    b.u32(512);
    for (const char* brand : {"isom", "iso2", "avc1", "mp41"}) {
        b.fourcc(brand);
    }
    b.end();
    return b.str();
}

std::string srs_mp4_mdat_header(uint64_t largesize) {
    SrsMp4BoxWriter b;
    b.u32(1);
    b.fourcc("mdat");
    b.u64(largesize);
    return b.str();
}

std::string srs_mp4_mvhd(uint64_t duration, uint32_t next_track_id) {
    // 14496-12 8.2.2, version 0 (32-bit times: 49 days of ms).
    SrsMp4BoxWriter b;
    b.begin_full("mvhd", 0, 0);
    b.u32(0);  // creation_time
    b.u32(0);  // modification_time
    b.u32(SRS_MP4_TIMESCALE);
    b.u32((uint32_t)duration);
    b.u32(0x00010000);  // rate 1.0
    b.u16(0x0100);      // volume 1.0
    b.zeros(2 + 8);     // reserved
    b.matrix();
    b.zeros(24);  // pre_defined
    b.u32(next_track_id);
    b.end();
    return b.str();
}

std::string srs_mp4_tkhd(const SrsMp4Track& t, uint64_t duration) {
    // 14496-12 8.3.2, version 0; flags track_enabled | track_in_movie.
    SrsMp4BoxWriter b;
    b.begin_full("tkhd", 0, 0x03);
    b.u32(0);  // creation_time
    b.u32(0);  // modification_time
    b.u32(t.id);
    b.u32(0);  // reserved
    b.u32((uint32_t)duration);
    b.zeros(8);                                            // reserved
    b.u16(0);                                              // layer
    b.u16(t.kind == SrsMp4TrackKind::Audio ? 1 : 0);       // alternate_group
    b.u16(t.kind == SrsMp4TrackKind::Audio ? 0x0100 : 0);  // volume
    b.u16(0);                                              // reserved
    b.matrix();
    b.u32(t.kind == SrsMp4TrackKind::Video ? (uint32_t)t.width << 16 : 0);
    b.u32(t.kind == SrsMp4TrackKind::Video ? (uint32_t)t.height << 16 : 0);
    b.end();
    return b.str();
}

std::string srs_mp4_edts(const SrsMp4Track& t) {
    if (t.samples.empty() || t.samples.front().dts <= 0) {
        return "";
    }
    // 14496-12 8.6.6: movie timescale durations; media_time -1 is an empty edit.
    SrsMp4BoxWriter b;
    b.begin("edts");
    b.begin_full("elst", 0, 0);
    b.u32(2);
    b.u32((uint32_t)t.samples.front().dts);
    b.u32(0xffffffff);
    b.u16(1);  // media_rate_integer
    b.u16(0);
    b.u32((uint32_t)t.duration());
    b.u32(0);
    b.u16(1);
    b.u16(0);
    b.end();
    b.end();
    return b.str();
}

std::string srs_mp4_mdhd(const SrsMp4Track& t) {
    // 14496-12 8.4.2; language "und" packed as three 5-bit letters - 0x60.
    SrsMp4BoxWriter b;
    b.begin_full("mdhd", 0, 0);
    b.u32(0);
    b.u32(0);
    b.u32(t.timescale);
    b.u32((uint32_t)t.duration());
    b.u16(0x55c4);
    b.u16(0);
    b.end();
    return b.str();
}

std::string srs_mp4_hdlr(const SrsMp4Track& t) {
    // 14496-12 8.4.3.
    bool video = t.kind == SrsMp4TrackKind::Video;
    SrsMp4BoxWriter b;
    b.begin_full("hdlr", 0, 0);
    b.u32(0);  // pre_defined
    b.fourcc(video ? "vide" : "soun");
    b.zeros(12);
    b.bytes(video ? "VideoHandler" : "SoundHandler");
    b.u8(0);
    b.end();
    return b.str();
}

std::string srs_mp4_esds(const SrsMp4Track& t) {
    // 14496-14 5.6 esds: an ES_Descriptor (14496-1 7.2.6.5) with a DecoderConfigDescriptor
    // (streamType 5 audio, upStream 0, reserved 1) and an SLConfigDescriptor (predefined 2, MP4).
    // AAC: objectTypeIndication 0x40 (Audio ISO/IEC 14496-3) holding the AudioSpecificConfig.
    // MP3: 0x6B (ISO/IEC 11172-3) or 0x69 (13818-3, the MPEG-2 low rates), no decoder specific
    // info: the frame headers are the configuration (the values of the 14496-1 table 5 registry).
    bool mp3 = srs_mp4_track_acodec(t) == SrsAudioCodecIdMP3;
    SrsMp4BoxWriter dcd;
    dcd.u8(mp3 ? (t.mp3_version == 1 ? 0x6B : 0x69) : 0x40);
    dcd.u8(0x15);
    dcd.u24(0);  // bufferSizeDB
    dcd.u32(0);  // maxBitrate
    dcd.u32(0);  // avgBitrate
    if (!mp3) {
        put_descriptor(&dcd, 0x05, t.asc);
    }
    SrsMp4BoxWriter es;
    es.u16((uint16_t)t.id);  // ES_ID
    es.u8(0);                // no dependency, URL or OCR stream
    put_descriptor(&es, 0x04, dcd.str());
    put_descriptor(&es, 0x06, std::string(1, '\x02'));
    SrsMp4BoxWriter b;
    b.begin_full("esds", 0, 0);
    put_descriptor(&b, 0x03, es.str());
    b.end();
    return b.str();
}

std::string srs_mp4_stsd(const SrsMp4Track& t) {
    SrsMp4BoxWriter b;
    b.begin_full("stsd", 0, 0);
    b.u32(1);
    if (t.kind == SrsMp4TrackKind::Video) {
        // 14496-12 8.5.2 VisualSampleEntry with the codec's configuration box: 14496-15 5.4.2
        // avc1/avcC, 8.4.1 hvc1/hvcC (parameter sets in the hvcC, as the FLV sequence header
        // carries them), AV1-ISOBMFF 2.2 av01/av1C, VP-ISOBMFF 2.1 vp09/vpcC (a FullBox: the
        // body carries its version and flags).
        SrsVideoCodecId codec = srs_mp4_track_vcodec(t);
        const char* entry = "avc1";
        const char* box = "avcC";
        const std::string* config = &t.avcc;
        if (codec == SrsVideoCodecIdHEVC) {
            entry = "hvc1";
            box = "hvcC";
        } else if (codec == SrsVideoCodecIdAV1) {
            entry = "av01";
            box = "av1C";
            config = &t.config;
        } else if (codec == SrsVideoCodecIdVP9) {
            entry = "vp09";
            box = "vpcC";
            config = &t.config;
        }
        b.begin(entry);
        b.zeros(6);
        b.u16(1);  // data_reference_index
        b.u16(0);
        b.u16(0);
        b.zeros(12);
        b.u16((uint16_t)t.width);
        b.u16((uint16_t)t.height);
        b.u32(0x00480000);  // 72 dpi
        b.u32(0x00480000);
        b.u32(0);
        b.u16(1);       // frame_count
        b.zeros(32);    // compressorname
        b.u16(0x0018);  // depth
        b.u16(0xffff);  // pre_defined -1
        b.begin(box);
        b.bytes(*config);
        b.end();
        b.end();
    } else {
        // 14496-12 8.5.2 AudioSampleEntry: 14496-14 5.6 mp4a (AAC, MP3) with its esds,
        // Opus-ISOBMFF 4.3.1 Opus with its dOps (channelcount the OutputChannelCount, samplerate
        // 48000: Opus always decodes at 48 kHz), or ETSI TS 102 366 F.3/F.5 ac-3/ec-3 with their
        // dac3/dec3.
        SrsAudioCodecId codec = srs_mp4_track_acodec(t);
        bool opus = codec == SrsAudioCodecIdOpus;
        bool ac3 = codec == SrsAudioCodecIdAC3;
        bool eac3 = codec == SrsAudioCodecIdEAC3;
        uint32_t rate = opus ? 48000 : (uint32_t)t.sample_rate;
        b.begin(opus ? "Opus" : (ac3 ? "ac-3" : (eac3 ? "ec-3" : "mp4a")));
        b.zeros(6);
        b.u16(1);
        b.zeros(8);
        // ETSI TS 102 366 F.3/F.5: the channel layout is in dac3/dec3, the entry says 2 (as
        // FFmpeg writes it).
        b.u16((uint16_t)(ac3 || eac3 ? 2 : t.channels));
        b.u16(16);  // samplesize
        b.u16(0);
        b.u16(0);
        b.u32((rate > 0xffff ? 0 : rate) << 16);
        if (opus || ac3 || eac3) {
            b.begin(opus ? "dOps" : (ac3 ? "dac3" : "dec3"));
            b.bytes(t.config);
            b.end();
        } else {
            b.bytes(srs_mp4_esds(t));
        }
        b.end();
    }
    b.end();
    return b.str();
}

std::string srs_mp4_stts(const SrsMp4Track& t) {
    // 14496-12 8.6.1.2: run-length coded sample durations.
    std::vector<std::pair<uint32_t, uint32_t>> runs;
    for (size_t i = 0; i < t.samples.size(); i++) {
        uint32_t d = i + 1 < t.samples.size() ? (uint32_t)std::max<int64_t>(0, t.samples[i + 1].dts - t.samples[i].dts)
                                              : t.last_sample_duration();
        if (!runs.empty() && runs.back().second == d) {
            runs.back().first++;
        } else {
            runs.push_back({1, d});
        }
    }
    SrsMp4BoxWriter b;
    b.begin_full("stts", 0, 0);
    b.u32((uint32_t)runs.size());
    for (auto& r : runs) {
        b.u32(r.first);
        b.u32(r.second);
    }
    b.end();
    return b.str();
}

std::string srs_mp4_ctts(const SrsMp4Track& t) {
    // 14496-12 8.6.1.3: version 0 offsets are unsigned, version 1 signed.
    bool any = false;
    bool negative = false;
    for (const SrsMp4Sample& s : t.samples) {
        any |= s.cts != 0;
        negative |= s.cts < 0;
    }
    if (!any) {
        return "";
    }
    std::vector<std::pair<uint32_t, int32_t>> runs;
    for (const SrsMp4Sample& s : t.samples) {
        if (!runs.empty() && runs.back().second == s.cts) {
            runs.back().first++;
        } else {
            runs.push_back({1, s.cts});
        }
    }
    SrsMp4BoxWriter b;
    b.begin_full("ctts", negative ? 1 : 0, 0);
    b.u32((uint32_t)runs.size());
    for (auto& r : runs) {
        b.u32(r.first);
        b.u32((uint32_t)r.second);
    }
    b.end();
    return b.str();
}

std::string srs_mp4_stss(const SrsMp4Track& t) {
    // 14496-12 8.6.2: without stss every sample is a sync sample, true of AAC only.
    if (t.kind != SrsMp4TrackKind::Video) {
        return "";
    }
    std::vector<uint32_t> keys;
    for (size_t i = 0; i < t.samples.size(); i++) {
        if (t.samples[i].keyframe) {
            keys.push_back((uint32_t)i + 1);
        }
    }
    SrsMp4BoxWriter b;
    b.begin_full("stss", 0, 0);
    b.u32((uint32_t)keys.size());
    for (uint32_t k : keys) {
        b.u32(k);
    }
    b.end();
    return b.str();
}

std::string srs_mp4_stsc(const SrsMp4Track& t) {
    // 14496-12 8.7.4: an entry where the samples per chunk change (first_chunk is 1-based).
    SrsMp4BoxWriter body;
    uint32_t entries = 0;
    for (size_t i = 0; i < t.chunks.size(); i++) {
        if (i > 0 && t.chunks[i].nb_samples == t.chunks[i - 1].nb_samples) {
            continue;
        }
        body.u32((uint32_t)i + 1);
        body.u32(t.chunks[i].nb_samples);
        body.u32(1);  // sample_description_index
        entries++;
    }
    SrsMp4BoxWriter b;
    b.begin_full("stsc", 0, 0);
    b.u32(entries);
    b.bytes(body.str());
    b.end();
    return b.str();
}

std::string srs_mp4_stsz(const SrsMp4Track& t) {
    // 14496-12 8.7.3.2: sample_size 0, then every size.
    SrsMp4BoxWriter b;
    b.begin_full("stsz", 0, 0);
    b.u32(0);
    b.u32((uint32_t)t.samples.size());
    for (const SrsMp4Sample& s : t.samples) {
        b.u32(s.size);
    }
    b.end();
    return b.str();
}

std::string srs_mp4_stco(const SrsMp4Track& t) {
    // 14496-12 8.7.5: co64 only when needed, as most tools write.
    bool large = false;
    for (const SrsMp4Chunk& c : t.chunks) {
        large |= c.offset > SRS_MP4_STCO_MAX;
    }
    SrsMp4BoxWriter b;
    b.begin_full(large ? "co64" : "stco", 0, 0);
    b.u32((uint32_t)t.chunks.size());
    for (const SrsMp4Chunk& c : t.chunks) {
        if (large) {
            b.u64(c.offset);
        } else {
            b.u32((uint32_t)c.offset);
        }
    }
    b.end();
    return b.str();
}

std::string srs_mp4_trak(const SrsMp4Track& t, bool fragmented) {
    bool video = t.kind == SrsMp4TrackKind::Video;
    SrsMp4BoxWriter b;
    b.begin("trak");
    // The track's presentation in the movie: its gap (edit list) and its media.
    uint64_t start = t.samples.empty() ? 0 : (uint64_t)std::max<int64_t>(0, t.samples.front().dts);
    b.bytes(srs_mp4_tkhd(t, start + t.duration()));
    if (!fragmented) {
        b.bytes(srs_mp4_edts(t));
    }
    b.begin("mdia");
    b.bytes(srs_mp4_mdhd(t));
    b.bytes(srs_mp4_hdlr(t));
    b.begin("minf");
    if (video) {
        // 14496-12 12.1.2 vmhd (flags 1), 12.2.2 smhd.
        b.begin_full("vmhd", 0, 1);
        b.zeros(8);
        b.end();
    } else {
        b.begin_full("smhd", 0, 0);
        b.zeros(4);
        b.end();
    }
    // 14496-12 8.7.1: one self-contained (flags 1) data reference.
    b.begin("dinf");
    b.begin_full("dref", 0, 0);
    b.u32(1);
    b.begin_full("url ", 0, 1);
    b.end();
    b.end();
    b.end();
    b.begin("stbl");
    b.bytes(srs_mp4_stsd(t));
    b.bytes(srs_mp4_stts(t));
    if (!fragmented) {
        b.bytes(srs_mp4_ctts(t));
        b.bytes(srs_mp4_stss(t));
    }
    b.bytes(srs_mp4_stsc(t));
    b.bytes(srs_mp4_stsz(t));
    b.bytes(srs_mp4_stco(t));
    b.end();
    b.end();
    b.end();
    b.end();
    return b.str();
}

std::string srs_mp4_moov(const std::vector<const SrsMp4Track*>& tracks) {
    uint64_t duration = 0;
    uint32_t next_id = 1;
    for (const SrsMp4Track* t : tracks) {
        if (t->samples.empty()) {
            continue;
        }
        uint64_t start = (uint64_t)std::max<int64_t>(0, t->samples.front().dts);
        duration = std::max(duration, start + t->duration());
        next_id = std::max(next_id, t->id + 1);
    }
    SrsMp4BoxWriter b;
    b.begin("moov");
    b.bytes(srs_mp4_mvhd(duration, next_id));
    for (const SrsMp4Track* t : tracks) {
        if (!t->samples.empty()) {
            b.bytes(srs_mp4_trak(*t));
        }
    }
    b.end();
    return b.str();
}

SrsMp4Muxer::SrsMp4Muxer(ISrsSeekWriter* writer) : writer_(writer), format_(std::make_unique<SrsFormat>()) {
    video_.kind = SrsMp4TrackKind::Video;
    video_.id = 1;
    audio_.kind = SrsMp4TrackKind::Audio;
    audio_.id = 2;
}

SrsMp4Muxer::~SrsMp4Muxer() = default;

srs_error_t SrsMp4Muxer::open() {
    srs_error_t err = srs_success;
    std::string head = srs_mp4_ftyp() + srs_mp4_mdat_header(0);
    if ((err = writer_->write(head.data(), head.size(), nullptr)) != srs_success) {
        return srs_error_wrap(err, "mp4 header");
    }
    mdat_offset_ = SRS_MP4_FTYP_SIZE;
    pos_ = head.size();
    return err;
}

srs_error_t SrsMp4Muxer::write_sample(SrsMp4Track* t, const std::vector<iovec>& iovs, uint32_t size, int64_t dts,
                                      int32_t cts, bool keyframe) {
    srs_error_t err = srs_success;
    // stts cannot go back in time: a late sample keeps its place with a zero duration.
    if (!t->samples.empty() && dts < t->samples.back().dts) {
        cts += (int32_t)(dts - t->samples.back().dts);
        dts = t->samples.back().dts;
    }
    if ((err = writer_->writev(iovs.data(), (int)iovs.size(), nullptr)) != srs_success) {
        return srs_error_wrap(err, "mp4 sample");
    }
    SrsMp4Sample s;
    s.offset = pos_;
    s.size = size;
    s.dts = dts;
    s.cts = cts;
    s.keyframe = keyframe;
    t->add_sample(s, last_track_ == t);
    last_track_ = t;
    pos_ += size;
    return err;
}

srs_error_t SrsMp4Muxer::on_video_config(const SrsVideoCodecConfig& c) {
    srs_error_t err = srs_success;
    if (!srs_mp4_video_supported(c.id)) {
        if (!warned_video_) {
            srs_warn("mp4: video codec %s not supported, video dropped", srs_video_codec_id2str(c.id));
            warned_video_ = true;
        }
        return err;
    }
    SrsMp4Track t;
    t.kind = SrsMp4TrackKind::Video;
    srs_mp4_track_set_video(c, &t);
    // One sample description per track: a new configuration after the first samples
    // (a resolution change, another codec) cannot be described, the first one stays.
    if (!video_.samples.empty()) {
        if (!srs_mp4_track_same_entry(video_, t)) {
            srs_warn("mp4: video configuration changed, the file keeps the first one");
        }
        return err;
    }
    srs_mp4_track_copy_entry(t, &video_);
    has_video_config_ = true;
    return err;
}

srs_error_t SrsMp4Muxer::write_video(int64_t timestamp, const char* data, int size) {
    srs_error_t err = srs_success;
    // A tag that does not parse is the publisher's problem: dropped, the file goes on.
    if ((err = format_->on_video(timestamp, data, size)) != srs_success) {
        srs_warn("mp4: video tag dropped: %s", srs_error_desc(err).c_str());
        srs_error_reset(err);
        return srs_success;
    }
    const SrsVideoFrame& f = format_->video();
    if (f.is_sequence_header()) {
        return on_video_config(format_->vcodec());
    }
    if (!has_video_config_ || f.codec != video_.vcodec) {
        return err;
    }
    uint32_t total = 0;
    err = srs_mp4_video_sample(f, format_->vcodec().nalu_length_size, &video_, &prefixes_, &obus_, &iovs_, &total);
    if (err != srs_success) {
        srs_warn("mp4: video frame dropped: %s", srs_error_desc(err).c_str());
        srs_error_reset(err);
        return srs_success;
    }
    if (total == 0) {
        return err;
    }
    return write_sample(&video_, iovs_, total, f.dts, f.cts, f.keyframe || f.has_idr);
}

srs_error_t SrsMp4Muxer::write_audio(int64_t timestamp, const char* data, int size) {
    srs_error_t err = srs_success;
    // A tag that does not parse, or a codec MP4 cannot carry, is dropped: the file goes on.
    SrsAudioCodecId id = srs_mp4_parse_audio(format_.get(), timestamp, data, size, "mp4", &warned_audio_);
    if (id == SrsAudioCodecIdReserved) {
        return err;
    }
    const SrsAudioFrame& f = format_->audio();
    // A sequence header, or a frame that configures the codecs without one (MP3, AC-3, E-AC-3).
    if (f.sequence_header || !has_audio_config_) {
        SrsMp4Track t;
        t.kind = SrsMp4TrackKind::Audio;
        bool ready = false;
        if ((err = srs_mp4_track_set_audio(*format_, &t, &ready)) != srs_success) {
            srs_warn("mp4: audio tag dropped: %s", srs_error_desc(err).c_str());
            srs_error_reset(err);
            return srs_success;
        }
        if (ready && !audio_.samples.empty()) {
            if (!srs_mp4_track_same_entry(audio_, t)) {
                srs_warn("mp4: audio configuration changed, the file keeps the first one");
            }
        } else if (ready) {
            srs_mp4_track_copy_entry(t, &audio_);
            has_audio_config_ = true;
        }
    }
    if (f.sequence_header || !has_audio_config_ || id != audio_.acodec || f.samples.empty()) {
        return err;
    }
    iovs_.clear();
    uint32_t total = 0;
    for (const SrsSample& s : f.samples) {
        iovs_.push_back(iovec{const_cast<char*>(s.data), (size_t)s.size});
        total += s.size;
    }
    return write_sample(&audio_, iovs_, total, f.dts, 0, true);
}

srs_error_t SrsMp4Muxer::close() {
    srs_error_t err = srs_success;
    // The mdat holds everything after its header; the moov follows it.
    uint64_t mdat_size = pos_ - mdat_offset_;
    std::string head = srs_mp4_mdat_header(mdat_size);
    std::string moov = srs_mp4_moov({&video_, &audio_});
    if ((err = writer_->seek((int64_t)mdat_offset_)) != srs_success ||
        (err = writer_->write(head.data(), head.size(), nullptr)) != srs_success ||
        (err = writer_->seek((int64_t)pos_)) != srs_success ||
        (err = writer_->write(moov.data(), moov.size(), nullptr)) != srs_success) {
        return srs_error_wrap(err, "mp4 finish");
    }
    pos_ += moov.size();
    return err;
}
