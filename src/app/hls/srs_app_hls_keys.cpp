// hls_keys (SRS's directives): AES-128 encryption of whole segments (RFC 8216 4.3.2.4). A
// random key every hls_fragments_per_key segments, in a file the players fetch through the
// playlist's EXT-X-KEY; a segment's IV is its media sequence number (5.2), so no two segments
// of a key share one and the playlist needs no IV attribute.
#include <srs_app_hls_muxer.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_io.hpp>
#include <srs_protocol_aes.hpp>

#include <cinttypes>

srs_error_t SrsHlsMuxer::use_key(SrsHlsSegment* seg) {
    srs_error_t err = srs_success;
    if (!config_.keys) {
        key_.reset();
        return srs_success;
    }
    int64_t per_key = config_.fragments_per_key > 0 ? config_.fragments_per_key : 1;
    bool due = !key_ || seg->sequence < key_->first_sequence || seg->sequence - key_->first_sequence >= per_key;
    if (due) {
        auto key = std::make_unique<SrsHlsKey>();
        key->first_sequence = seg->sequence;
        if ((err = srs_aes_random(&key->bytes, SRS_AES128_BYTES)) != srs_success) {
            return srs_error_wrap(err, "hls: new key");
        }
        // Named after its first segment, so a new key never overwrites one still in use.
        key->rel = srs_path_clean(srs_path_template_expand_seq(config_.key_file, template_values(seg->sequence)));
        if (key->rel.empty() || srs_string_starts_with(key->rel, "..")) {
            return srs_error_new(ERROR_HLS_WRITE_FAILED, "hls: invalid hls_key_file %s", config_.key_file.c_str());
        }
        key->uri = key_uri_of(key->rel);
        // Written before any playlist names it; kept while a segment of the window uses it.
        auto bytes = std::make_shared<const std::string>(key->bytes);
        if (config_.on_disk() && (err = srs_file_write_atomic(disk_path(key->rel, true), *bytes)) != srs_success) {
            return srs_error_wrap(err, "hls: write key %s", key->rel.c_str());
        }
        if (config_.in_ram()) {
            store_->put("/" + key->rel, bytes);
        }
        srs_trace("hls: key %s for seq=%" PRId64 "..%" PRId64, key->rel.c_str(), seg->sequence,
                  seg->sequence + per_key - 1);
        std::string old = key_ ? key_->rel : "";
        key_ = std::move(key);
        if (!old.empty() && old != key_->rel) {
            delete_unused({old}, true);
        }
    }
    seg->key_rel = key_->rel;
    seg->key_uri = key_->uri;
    return srs_success;
}

std::string SrsHlsMuxer::key_uri_of(const std::string& rel) const {
    // SRS writes hls_key_url followed by the key file; without a URL, the key is found as the
    // segments are, beside the playlist.
    const std::string& url = config_.key_url;
    if (url.empty()) {
        return srs_path_relative_uri(m3u8_rel_, rel);
    }
    return srs_string_ends_with(url, "/") ? url + rel : url + "/" + rel;
}

std::string SrsHlsMuxer::key_rel_of(const std::string& uri) const {
    if (uri.empty()) {
        return "";
    }
    std::string rel;
    const std::string& url = config_.key_url;
    if (!url.empty() && srs_string_starts_with(uri, url)) {
        rel = uri.substr(url.size());
        while (!rel.empty() && rel[0] == '/') {
            rel.erase(0, 1);
        }
    } else if (url.empty() && !srs_string_contains(uri, "://") && uri[0] != '/') {
        std::string dir = srs_path_dirname(m3u8_rel_);
        rel = dir.empty() ? uri : dir + "/" + uri;
    }
    rel = srs_path_clean(rel);
    return srs_string_starts_with(rel, "..") ? "" : rel;
}

srs_error_t SrsHlsMuxer::encrypt_fmp4(const SrsHlsSegment& seg, std::string* body) const {
    srs_error_t err = srs_success;
    if (seg.key_uri.empty()) {
        return srs_success;
    }
    if (!key_ || key_->rel != seg.key_rel) {
        return srs_error_new(ERROR_HLS_WRITE_FAILED, "hls: key %s of segment %" PRId64 " is gone", seg.key_rel.c_str(),
                             seg.sequence);
    }
    std::string sealed;
    if ((err = srs_aes128_cbc_encrypt(key_->bytes, srs_aes_iv_of_sequence(seg.sequence), *body, &sealed)) !=
        srs_success) {
        return srs_error_wrap(err, "hls: encrypt segment");
    }
    body->swap(sealed);
    return srs_success;
}
