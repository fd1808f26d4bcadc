#include <srs_protocol_rtmp_enhanced.hpp>

#include <srs_protocol_amf0.hpp>

namespace {

void srs_rtmp_enhanced_read_map(const SrsAmf0Any* v, std::vector<std::pair<std::string, int>>* out) {
    out->clear();
    const SrsAmf0PropertyBag* bag = v ? v->to_properties() : nullptr;
    if (!bag) {
        return;
    }
    for (int i = 0; i < bag->count(); i++) {
        const SrsAmf0Any* flags = bag->value_at(i);
        if (flags && flags->is_number()) {
            out->emplace_back(bag->key_at(i), (int)flags->to_number());
        }
    }
}

}  // namespace

const std::vector<std::string>& srs_rtmp_enhanced_video_fourccs() {
    static const std::vector<std::string> v = {"av01", "vp09", "hvc1", "avc1"};
    return v;
}

const std::vector<std::string>& srs_rtmp_enhanced_audio_fourccs() {
    static const std::vector<std::string> v = {"Opus", "mp4a", ".mp3", "ac-3", "ec-3", "fLaC"};
    return v;
}

int srs_rtmp_enhanced_caps_ex() {
    return SrsRtmpCapsExMultitrack | SrsRtmpCapsExModEx | SrsRtmpCapsExTimestampNanoOffset;
}

void srs_rtmp_enhanced_announce(SrsAmf0Object* obj, bool relay) {
    auto list = SrsAmf0Any::strict_array();
    auto video = SrsAmf0Any::object();
    auto audio = SrsAmf0Any::object();
    for (const std::string& f : srs_rtmp_enhanced_video_fourccs()) {
        list->append(SrsAmf0Any::str(f));
        video->set(f, SrsAmf0Any::number(SrsRtmpFourCcCanForward));
    }
    for (const std::string& f : srs_rtmp_enhanced_audio_fourccs()) {
        list->append(SrsAmf0Any::str(f));
        audio->set(f, SrsAmf0Any::number(SrsRtmpFourCcCanForward));
    }
    if (relay) {
        list->append(SrsAmf0Any::str("*"));
    }
    obj->set("fourCcList", std::move(list));
    obj->set("videoFourCcInfoMap", std::move(video));
    obj->set("audioFourCcInfoMap", std::move(audio));
    obj->set("capsEx", SrsAmf0Any::number(srs_rtmp_enhanced_caps_ex()));
}

void srs_rtmp_enhanced_parse(const SrsAmf0Object* obj, SrsRtmpEnhancedCaps* caps) {
    *caps = SrsRtmpEnhancedCaps();
    if (!obj) {
        return;
    }
    const SrsAmf0Any* list = obj->get_property("fourCcList");
    const SrsAmf0StrictArray* arr = list ? list->to_strict_array() : nullptr;
    if (arr) {
        for (int i = 0; i < arr->count(); i++) {
            const SrsAmf0Any* f = arr->at(i);
            if (f && f->is_string()) {
                caps->fourcc_list.push_back(f->to_str());
            }
        }
    }
    srs_rtmp_enhanced_read_map(obj->get_property("videoFourCcInfoMap"), &caps->video_info);
    srs_rtmp_enhanced_read_map(obj->get_property("audioFourCcInfoMap"), &caps->audio_info);
    const SrsAmf0Any* ex = obj->get_property("capsEx");
    if (ex && ex->is_number()) {
        caps->caps_ex = (int)ex->to_number();
    }
}

std::vector<std::string> SrsRtmpEnhancedCaps::accepted_fourccs() const {
    if (!fourcc_list.empty()) {
        return fourcc_list;
    }
    std::vector<std::string> out;
    for (const auto* m : {&video_info, &audio_info}) {
        for (const auto& kv : *m) {
            if (kv.second & (SrsRtmpFourCcCanDecode | SrsRtmpFourCcCanForward)) {
                out.push_back(kv.first);
            }
        }
    }
    return out;
}
