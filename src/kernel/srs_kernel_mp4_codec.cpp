// The codec-specific half of the MP4 writers (declared in srs_kernel_mp4.hpp): which codecs an MP4
// track carries, the track's sample entry from a stream's sequence header or first frame (dOps,
// dac3, dec3, the VP9 key frame's size), and the bytes of a video sample (length-prefixed NALUs,
// AV1 temporal units without temporal delimiters, VP9 frames). The progressive (DVR) and the
// fragmented (HTTP-MP4) muxers share them.
#include <srs_kernel_mp4.hpp>

#include <srs_core_log.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_kernel_codec.hpp>
#include <srs_kernel_codec_config.hpp>
#include <srs_kernel_mp4_box.hpp>

namespace {

// Full-bandwidth channels of each AC-3 audio coding mode (ETSI TS 102 366 table 4.3).
const int kAc3Channels[8] = {2, 1, 2, 3, 3, 4, 4, 5};

}  // namespace

std::string srs_mp4_opus_dops(const SrsOpusConfigRecord& rec) {
    // Opus-ISOBMFF 4.3.2 OpusSpecificBox: Version 0, then the OpusHead fields from
    // OutputChannelCount on (RFC 7845 5.1), big-endian; the mapping table only when the family
    // is not 0.
    SrsMp4BoxWriter b;
    b.u8(0);
    b.u8((uint8_t)rec.channels);
    b.u16((uint16_t)rec.pre_skip);
    b.u32(rec.input_sample_rate);
    b.u16((uint16_t)rec.output_gain);
    b.u8((uint8_t)rec.mapping_family);
    if (rec.mapping_family != 0) {
        b.u8((uint8_t)rec.stream_count);
        b.u8((uint8_t)rec.coupled_count);
        for (uint8_t m : rec.channel_mapping) {
            b.u8(m);
        }
    }
    return b.str();
}

SrsVideoCodecId srs_mp4_track_vcodec(const SrsMp4Track& t) {
    if (t.vcodec != SrsVideoCodecIdReserved) {
        return t.vcodec;
    }
    return t.hevc ? SrsVideoCodecIdHEVC : SrsVideoCodecIdAVC;
}

SrsAudioCodecId srs_mp4_track_acodec(const SrsMp4Track& t) {
    if (t.acodec == SrsAudioCodecIdMP38kHz) {
        return SrsAudioCodecIdMP3;
    }
    return t.acodec == SrsAudioCodecIdReserved ? SrsAudioCodecIdAAC : t.acodec;
}

srs_error_t srs_ac3_parse_dac3(const char* data, int size, std::string* dac3, int* sample_rate, int* channels) {
    // 4.4.1 syncinfo: syncword 0x0B77, crc1, fscod, frmsizecod; 4.4.2 bsi: bsid, bsmod, acmod, the
    // mix levels that acmod brings, lfeon.
    SrsBitReader br(data, size);
    if (br.u(16) != 0x0b77) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "ac-3: no syncword");
    }
    br.u(16);
    uint32_t fscod = br.u(2);
    uint32_t frmsizecod = br.u(6);
    uint32_t bsid = br.u(5);
    uint32_t bsmod = br.u(3);
    uint32_t acmod = br.u(3);
    if ((acmod & 1) && acmod != 1) {
        br.u(2);  // cmixlev
    }
    if (acmod & 4) {
        br.u(2);  // surmixlev
    }
    if (acmod == 2) {
        br.u(2);  // dsurmod
    }
    uint32_t lfeon = br.u(1);
    // bsid 8 is AC-3, 6 its annex D alternate syntax; 9-10 lower rates, beyond is E-AC-3.
    if (br.failed() || fscod == 3 || frmsizecod > 37 || bsid > 10) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "ac-3: fscod %u, frmsizecod %u, bsid %u of %d bytes",
                             fscod, frmsizecod, bsid, size);
    }
    const int rates[3] = {48000, 44100, 32000};
    *sample_rate = rates[fscod];
    *channels = kAc3Channels[acmod] + (int)lfeon;
    // F.4: fscod(2) bsid(5) bsmod(3) acmod(3) lfeon(1) bit_rate_code(5) reserved(5).
    uint32_t v =
        (fscod << 22) | (bsid << 17) | (bsmod << 14) | (acmod << 11) | (lfeon << 10) | ((frmsizecod >> 1) << 5);
    dac3->assign({(char)(v >> 16), (char)(v >> 8), (char)v});
    return srs_success;
}

srs_error_t srs_eac3_parse_dec3(const char* data, int size, std::string* dec3, int* sample_rate, int* channels) {
    // E.1.2.1 syncinfo: syncword; E.1.2.2 bsi: strmtyp, substreamid, frmsiz, fscod, fscod2 or
    // numblkscod, acmod, lfeon, bsid.
    SrsBitReader br(data, size);
    if (br.u(16) != 0x0b77) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "e-ac-3: no syncword");
    }
    uint32_t strmtyp = br.u(2);
    uint32_t substreamid = br.u(3);
    uint32_t frmsiz = br.u(11);
    uint32_t fscod = br.u(2);
    uint32_t numblkscod = 3;
    int rate = 0;
    if (fscod == 3) {
        uint32_t fscod2 = br.u(2);
        const int half[4] = {24000, 22050, 16000, 0};
        rate = half[fscod2];
    } else {
        numblkscod = br.u(2);
        const int rates[3] = {48000, 44100, 32000};
        rate = rates[fscod];
    }
    uint32_t acmod = br.u(3);
    uint32_t lfeon = br.u(1);
    uint32_t bsid = br.u(5);
    if (br.failed() || rate == 0 || bsid <= 10 || bsid > 16) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "e-ac-3: fscod %u, bsid %u of %d bytes", fscod, bsid,
                             size);
    }
    // One independent substream 0 and nothing after it in the access unit.
    uint32_t frame = (frmsiz + 1) * 2;
    if (strmtyp != 0 || substreamid != 0 || frame != (uint32_t)size) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED,
                             "e-ac-3: stream type %u, substream %u, frame %u of %d bytes: one independent substream "
                             "only",
                             strmtyp, substreamid, frame, size);
    }
    *sample_rate = rate;
    *channels = kAc3Channels[acmod] + (int)lfeon;
    // The bitrate of this frame in kbps: frame bits over its duration (numblks * 256 samples).
    const int blocks[4] = {1, 2, 3, 6};
    uint32_t data_rate = (uint32_t)((uint64_t)frame * 8 * rate / (blocks[numblkscod] * 256) / 1000);
    // F.6: data_rate(13) num_ind_sub(3), then per independent substream fscod(2) bsid(5)
    // reserved(1) asvc(1) bsmod(3) acmod(3) lfeon(1) reserved(3) num_dep_sub(4) reserved(1).
    // bsmod (0, complete main) sits deep in the bsi's optional fields and is left at 0.
    uint64_t v = ((uint64_t)(data_rate & 0x1fff) << 27) | ((uint64_t)fscod << 22) | ((uint64_t)bsid << 17) |
                 ((uint64_t)acmod << 9) | ((uint64_t)lfeon << 8);
    dec3->assign({(char)(v >> 32), (char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v});
    return srs_success;
}

srs_error_t srs_av1_strip_temporal_delimiters(const char* data, int size, std::vector<SrsSample>* out) {
    // AV1 5.3: obu_header (forbidden bit, obu_type, extension flag, has_size_field, reserved),
    // an extension byte, then leb128 obu_size when has_size_field.
    const int OBU_TEMPORAL_DELIMITER = 2;
    int pos = 0;
    while (pos < size) {
        uint8_t h = (uint8_t)data[pos];
        int type = (h >> 3) & 0x0f;
        bool ext = (h >> 2) & 1;
        bool has_size = (h >> 1) & 1;
        int header = 1 + (ext ? 1 : 0);
        if (!has_size) {
            // Without a size the OBU runs to the end of the sample (AV1 5.2).
            if (type != OBU_TEMPORAL_DELIMITER) {
                out->push_back(SrsSample{data + pos, size - pos});
            }
            return srs_success;
        }
        uint64_t len = 0;
        int i = 0;
        for (; i < 8; i++) {
            if (pos + header + i >= size) {
                return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1: OBU size at %d past %d bytes", pos, size);
            }
            uint8_t c = (uint8_t)data[pos + header + i];
            len |= (uint64_t)(c & 0x7f) << (7 * i);
            if (!(c & 0x80)) {
                break;
            }
        }
        if (i == 8) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1: OBU size at %d longer than 8 bytes", pos);
        }
        uint64_t total = (uint64_t)header + i + 1 + len;
        if (total > (uint64_t)(size - pos)) {
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "av1: OBU of %llu bytes at %d past %d bytes",
                                 (unsigned long long)total, pos, size);
        }
        if (type != OBU_TEMPORAL_DELIMITER) {
            // Adjacent OBUs stay one span.
            if (!out->empty() && out->back().data + out->back().size == data + pos) {
                out->back().size += (int)total;
            } else {
                out->push_back(SrsSample{data + pos, (int)total});
            }
        }
        pos += (int)total;
    }
    return srs_success;
}

bool srs_mp4_video_supported(SrsVideoCodecId id) {
    return id == SrsVideoCodecIdAVC || id == SrsVideoCodecIdHEVC || id == SrsVideoCodecIdAV1 ||
           id == SrsVideoCodecIdVP9;
}

SrsAudioCodecId srs_mp4_audio_codec(SrsAudioCodecId id) {
    if (id == SrsAudioCodecIdMP38kHz) {
        return SrsAudioCodecIdMP3;
    }
    if (id == SrsAudioCodecIdAAC || id == SrsAudioCodecIdOpus || id == SrsAudioCodecIdMP3 || id == SrsAudioCodecIdAC3 ||
        id == SrsAudioCodecIdEAC3) {
        return id;
    }
    return SrsAudioCodecIdReserved;
}

void srs_mp4_track_set_video(const SrsVideoCodecConfig& c, SrsMp4Track* t) {
    t->vcodec = c.id;
    t->hevc = c.id == SrsVideoCodecIdHEVC;
    t->avcc.clear();
    t->config.clear();
    if (c.id == SrsVideoCodecIdAVC || c.id == SrsVideoCodecIdHEVC) {
        t->avcc = c.extra;
    } else {
        t->config = c.extra;
    }
    t->width = c.width;
    t->height = c.height;
}

srs_error_t srs_mp4_track_set_audio(const SrsFormat& format, SrsMp4Track* t, bool* ready) {
    srs_error_t err = srs_success;
    *ready = false;
    const SrsAudioFrame& f = format.audio();
    const SrsAudioCodecConfig& c = format.acodec();
    SrsAudioCodecId id = srs_mp4_audio_codec(f.codec);
    std::string asc;
    std::string config;
    int rate = c.sample_rate;
    int channels = c.channels;
    if (id == SrsAudioCodecIdAAC) {
        if (!f.sequence_header) {
            return err;
        }
        asc = c.extra;
    } else if (id == SrsAudioCodecIdOpus) {
        if (!f.sequence_header) {
            return err;
        }
        // The publisher sends dOps or an OpusHead (RFC 7845, little-endian, as FFmpeg and OBS
        // do): the file always gets a dOps. Opus always decodes at 48 kHz.
        SrsOpusConfigRecord rec;
        if ((err = srs_opus_parse_config(c.extra.data(), (int)c.extra.size(), &rec)) != srs_success) {
            return srs_error_wrap(err, "mp4: opus configuration");
        }
        config = srs_mp4_opus_dops(rec);
        rate = 48000;
    } else if (id == SrsAudioCodecIdMP3) {
        // MP3 has no sequence header: the format reads its configuration from a frame.
        if (!format.has_audio_config()) {
            return err;
        }
    } else if (id == SrsAudioCodecIdAC3 || id == SrsAudioCodecIdEAC3) {
        // Configured from a frame, whatever a SequenceStart says.
        if (f.sequence_header || f.samples.empty()) {
            return err;
        }
        const SrsSample& s = f.samples[0];
        err = id == SrsAudioCodecIdAC3 ? srs_ac3_parse_dac3(s.data, s.size, &config, &rate, &channels)
                                       : srs_eac3_parse_dec3(s.data, s.size, &config, &rate, &channels);
        if (err != srs_success) {
            return srs_error_wrap(err, "mp4: %s frame", srs_audio_codec_id2str(id));
        }
    } else {
        return err;
    }
    t->acodec = id;
    t->asc = asc;
    t->config = config;
    t->sample_rate = rate;
    t->channels = channels;
    t->mp3_version = c.mp3_version == 2 ? 2 : 1;
    *ready = true;
    return err;
}

bool srs_mp4_track_complete(const SrsMp4Track& t) {
    if (t.kind == SrsMp4TrackKind::Video && t.vcodec == SrsVideoCodecIdVP9) {
        return t.width > 0 && t.height > 0;
    }
    return true;
}

bool srs_mp4_track_same_entry(const SrsMp4Track& a, const SrsMp4Track& b) {
    // The picture size follows from the configuration records, or (VP9) from the first key
    // frame, which a repeated sequence header does not bring again.
    if (a.kind == SrsMp4TrackKind::Video) {
        return srs_mp4_track_vcodec(a) == srs_mp4_track_vcodec(b) && a.avcc == b.avcc && a.config == b.config;
    }
    return srs_mp4_track_acodec(a) == srs_mp4_track_acodec(b) && a.asc == b.asc && a.config == b.config &&
           a.sample_rate == b.sample_rate && a.channels == b.channels && a.mp3_version == b.mp3_version;
}

void srs_mp4_track_copy_entry(const SrsMp4Track& from, SrsMp4Track* to) {
    to->avcc = from.avcc;
    to->hevc = from.hevc;
    to->width = from.width;
    to->height = from.height;
    to->asc = from.asc;
    to->sample_rate = from.sample_rate;
    to->channels = from.channels;
    to->vcodec = from.vcodec;
    to->acodec = from.acodec;
    to->config = from.config;
    to->mp3_version = from.mp3_version;
}

srs_error_t srs_mp4_video_sample(const SrsVideoFrame& f, int nalu_length_size, SrsMp4Track* t,
                                 std::vector<char>* prefixes, std::vector<SrsSample>* obus, std::vector<iovec>* iovs,
                                 uint32_t* size) {
    srs_error_t err = srs_success;
    *size = 0;
    iovs->clear();
    if (f.samples.empty() ||
        (f.packet_type != SrsVideoPacketCodedFrames && f.packet_type != SrsVideoPacketCodedFramesX)) {
        return err;
    }
    SrsVideoCodecId codec = srs_mp4_track_vcodec(*t);
    if (codec == SrsVideoCodecIdAV1 || codec == SrsVideoCodecIdVP9) {
        // The sample is the temporal unit (AV1-ISOBMFF 2.4, without temporal delimiters) or the
        // frame / superframe (VP-ISOBMFF 4) as sent.
        const SrsSample& frame = f.samples[0];
        obus->clear();
        if (codec == SrsVideoCodecIdAV1) {
            if ((err = srs_av1_strip_temporal_delimiters(frame.data, frame.size, obus)) != srs_success) {
                return srs_error_wrap(err, "mp4: av1 temporal unit");
            }
        } else {
            obus->push_back(frame);
            bool key = f.keyframe || f.has_idr;
            if (key && !srs_mp4_track_complete(*t)) {
                SrsVp9FrameHeader h;
                if ((err = srs_vp9_parse_frame_header(frame.data, frame.size, &h)) != srs_success) {
                    return srs_error_wrap(err, "mp4: vp9 key frame");
                }
                t->width = h.width;
                t->height = h.height;
            }
        }
        uint32_t total = 0;
        for (const SrsSample& o : *obus) {
            iovs->push_back(iovec{const_cast<char*>(o.data), (size_t)o.size});
            total += o.size;
        }
        *size = total;
        return err;
    }
    // The input may be Annex B or use another length size than the avcC's.
    int ls = nalu_length_size;
    prefixes->resize(f.samples.size() * 4);
    uint32_t total = 0;
    for (size_t i = 0; i < f.samples.size(); i++) {
        const SrsSample& n = f.samples[i];
        char* p = &(*prefixes)[i * 4];
        uint32_t len = (uint32_t)n.size;
        if (ls < 4 && len >= (1u << (8 * ls))) {
            iovs->clear();
            return srs_error_new(ERROR_KERNEL_MP4_MUX, "mp4: NALU of %u bytes for a %d-byte length", len, ls);
        }
        for (int k = 0; k < ls; k++) {
            p[k] = (char)((len >> (8 * (ls - 1 - k))) & 0xff);
        }
        iovs->push_back(iovec{p, (size_t)ls});
        iovs->push_back(iovec{const_cast<char*>(n.data), (size_t)n.size});
        total += ls + len;
    }
    *size = total;
    return err;
}

SrsAudioCodecId srs_mp4_parse_audio(SrsFormat* format, int64_t timestamp, const char* data, int size, const char* who,
                                    bool* warned) {
    srs_error_t err = format->on_audio(timestamp, data, size);
    if (err != srs_success) {
        srs_warn("%s: audio tag dropped: %s", who, srs_error_desc(err).c_str());
        srs_error_reset(err);
        return SrsAudioCodecIdReserved;
    }
    const SrsAudioFrame& f = format->audio();
    SrsAudioCodecId id = srs_mp4_audio_codec(f.codec);
    if (id == SrsAudioCodecIdReserved && !*warned && f.codec != SrsAudioCodecIdReserved) {
        srs_warn("%s: audio codec %s not supported, audio dropped", who, srs_audio_codec_id2str(f.codec));
        *warned = true;
    }
    return id;
}
