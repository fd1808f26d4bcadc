#include <srs_app_rtmp_track_filter.hpp>

#include <cstring>
#include <memory>

SrsRtmpTrackFilter::SrsRtmpTrackFilter(const std::vector<std::string>& fourcc_list) {
    all_ = fourcc_list.empty();
    for (const std::string& s : fourcc_list) {
        if (s == "*") {
            all_ = true;
        } else if (s.size() == 4) {
            fourccs_.push_back(srs_fourcc(s[0], s[1], s[2], s[3]));
        }
    }
}

bool SrsRtmpTrackFilter::allowed(uint32_t fourcc) const {
    for (uint32_t f : fourccs_) {
        if (f == fourcc) {
            return true;
        }
    }
    return false;
}

std::string SrsRtmpTrackFilter::describe() const {
    if (all_) {
        return "all tracks";
    }
    std::string s = "tracks of";
    for (uint32_t f : fourccs_) {
        s += " " + srs_fourcc2str(f);
    }
    if (fourccs_.empty()) {
        s += " no FourCC";
    }
    return s + " and legacy tags";
}

template <typename Tag>
SrsRtmpTrackFilter::Verdict SrsRtmpTrackFilter::check_tracks(const SrsMediaMessage& msg, const Tag& tag,
                                                             SrsMediaMessage* out) {
    size_t kept = 0;
    for (const auto& t : tag.tracks) {
        kept += allowed(t.fourcc) ? 1 : 0;
    }
    if (kept == tag.tracks.size()) {
        return Verdict::Keep;
    }
    if (kept == 0) {
        return Verdict::Drop;
    }

    // Only ManyTracksManyCodecs mixes FourCCs. Its tracks follow the head back to back, each
    // with its own header, so the new tag is the head and the allowed tracks, copied.
    const char* head_end = tag.tracks.front().raw.data;
    if (!head_end) {
        return Verdict::Keep;
    }
    int head = (int)(head_end - msg.data());
    int size = head;
    for (const auto& t : tag.tracks) {
        size += allowed(t.fourcc) ? t.raw.size : 0;
    }
    auto payload = std::make_shared<SrsSharedPayload>(size);
    char* p = payload->data();
    memcpy(p, msg.data(), head);
    p += head;
    for (const auto& t : tag.tracks) {
        if (allowed(t.fourcc)) {
            memcpy(p, t.raw.data, t.raw.size);
            p += t.raw.size;
        }
    }
    *out = SrsMediaMessage(msg.type, msg.timestamp, msg.stream_id, std::move(payload));
    out->cid = msg.cid;
    return Verdict::Rewrite;
}

SrsRtmpTrackFilter::Verdict SrsRtmpTrackFilter::check(const SrsMediaMessage& msg, SrsMediaMessage* out) {
    if (all_ || msg.size() < 1) {
        return Verdict::Keep;
    }
    uint8_t b = (uint8_t)msg.data()[0];
    if (msg.is_video()) {
        bool enhanced = (b & 0x80) != 0;
        if (!enhanced && (b & 0x0f) != SrsVideoCodecIdHEVC) {
            return Verdict::Keep;
        }
        vtag_.reset();
        srs_error_t err = srs_flv_parse_video_tag(msg.data(), msg.size(), &vtag_);
        if (err != srs_success) {
            srs_error_reset(err);
            return Verdict::Keep;
        }
        if (vtag_.is_command || vtag_.tracks.empty()) {
            return Verdict::Keep;
        }
        return check_tracks(msg, vtag_, out);
    }
    if (msg.is_audio()) {
        if ((b >> 4) != SrsAudioCodecIdExHeader) {
            return Verdict::Keep;
        }
        atag_.reset();
        srs_error_t err = srs_flv_parse_audio_tag(msg.data(), msg.size(), &atag_);
        if (err != srs_success) {
            srs_error_reset(err);
            return Verdict::Keep;
        }
        if (atag_.tracks.empty()) {
            return Verdict::Keep;
        }
        return check_tracks(msg, atag_, out);
    }
    return Verdict::Keep;
}

void SrsRtmpTrackFilter::filter(std::vector<SrsMediaMessage>& msgs) {
    if (all_) {
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < msgs.size(); i++) {
        SrsMediaMessage rewritten;
        Verdict v = check(msgs[i], &rewritten);
        if (v == Verdict::Drop) {
            nb_dropped_++;
            continue;
        }
        if (v == Verdict::Rewrite) {
            nb_rewritten_++;
            msgs[n++] = std::move(rewritten);
            continue;
        }
        if (n != i) {
            msgs[n] = std::move(msgs[i]);
        }
        n++;
    }
    msgs.resize(n);
}
