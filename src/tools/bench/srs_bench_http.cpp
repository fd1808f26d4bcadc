#include <srs_bench_http.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_flv.hpp>
#include <srs_protocol_http_client.hpp>
#include <srs_protocol_http_url.hpp>

#include <algorithm>
#include <cstdlib>

namespace {

bool srs_bench_parse_double(const std::string& s, double* out) {
    char* end = nullptr;
    double d = strtod(s.c_str(), &end);
    if (s.empty() || end == s.c_str() || d < 0) {
        return false;
    }
    *out = d;
    return true;
}

}  // namespace

srs_error_t srs_bench_parse_m3u8(const std::string& text, SrsBenchPlaylist* out) {
    *out = SrsBenchPlaylist();
    std::vector<std::string> lines = srs_string_split(text, "\n");
    bool first = true;
    bool pending_inf = false;
    bool pending_variant = false;
    double pending_duration = 0;
    int64_t sequence = 0;
    bool has_sequence = false;
    for (std::string line : lines) {
        line = srs_string_trim(line, " \t\r");
        if (line.empty()) {
            continue;
        }
        if (first) {
            // RFC 8216 4.3.1.1: the first line is EXTM3U.
            if (line != "#EXTM3U") {
                return srs_error_new(ERROR_BENCH_PLAYLIST, "m3u8: first line is not #EXTM3U");
            }
            first = false;
            continue;
        }
        if (srs_string_starts_with(line, "#EXT-X-TARGETDURATION:")) {
            int64_t v = 0;
            if (!srs_parse_int64(line.substr(22), &v) || v < 0 || v > 3600) {
                return srs_error_new(ERROR_BENCH_PLAYLIST, "m3u8: bad %s", line.c_str());
            }
            out->target_duration = (int)v;
        } else if (srs_string_starts_with(line, "#EXT-X-MEDIA-SEQUENCE:")) {
            if (!srs_parse_int64(line.substr(22), &sequence) || sequence < 0) {
                return srs_error_new(ERROR_BENCH_PLAYLIST, "m3u8: bad %s", line.c_str());
            }
            if (!out->segments.empty()) {
                return srs_error_new(ERROR_BENCH_PLAYLIST, "m3u8: media sequence after a segment");
            }
            has_sequence = true;
            out->media_sequence = sequence;
        } else if (srs_string_starts_with(line, "#EXTINF:")) {
            // "#EXTINF:<duration>,[<title>]" (RFC 8216 4.3.2.1).
            std::string v = line.substr(8);
            size_t comma = v.find(',');
            if (!srs_bench_parse_double(v.substr(0, comma), &pending_duration)) {
                return srs_error_new(ERROR_BENCH_PLAYLIST, "m3u8: bad %s", line.c_str());
            }
            pending_inf = true;
        } else if (srs_string_starts_with(line, "#EXT-X-STREAM-INF")) {
            pending_variant = true;
        } else if (line == "#EXT-X-ENDLIST") {
            out->endlist = true;
        } else if (line[0] == '#') {
            // Other tags and comments do not change what a load player fetches.
        } else if (pending_variant) {
            out->variants.push_back(line);
            pending_variant = false;
        } else if (pending_inf) {
            SrsBenchSegment s;
            s.sequence = sequence++;
            s.duration = pending_duration;
            s.uri = line;
            out->segments.push_back(s);
            pending_inf = false;
        }
    }
    if (first) {
        return srs_error_new(ERROR_BENCH_PLAYLIST, "m3u8: empty");
    }
    if (pending_inf) {
        return srs_error_new(ERROR_BENCH_PLAYLIST, "m3u8: EXTINF without a URI");
    }
    if (!has_sequence) {
        out->media_sequence = 0;
    }
    return srs_success;
}

std::string srs_bench_resolve_url(const std::string& base, const std::string& ref) {
    if (ref.find("://") != std::string::npos) {
        return ref;
    }
    size_t schema_end = base.find("://");
    if (schema_end == std::string::npos) {
        return ref;
    }
    if (srs_string_starts_with(ref, "//")) {
        return base.substr(0, schema_end + 1) + ref;
    }
    size_t path_start = base.find('/', schema_end + 3);
    std::string origin = path_start == std::string::npos ? base : base.substr(0, path_start);
    if (!ref.empty() && ref[0] == '/') {
        return origin + ref;
    }
    // The base path without its query, up to and including its last '/'.
    std::string path = path_start == std::string::npos ? "/" : base.substr(path_start);
    size_t q = path.find_first_of("?#");
    if (q != std::string::npos) {
        path = path.substr(0, q);
    }
    if (!ref.empty() && ref[0] == '?') {
        return origin + path + ref;
    }
    path = path.substr(0, path.rfind('/') + 1);
    return origin + path + ref;
}

SrsBenchFlvPlayer::SrsBenchFlvPlayer(SrsBenchContext* ctx, int index, const std::string& url)
    : SrsBenchClient(ctx, index, url) {}

srs_error_t SrsBenchFlvPlayer::do_cycle() {
    srs_error_t err = srs_success;
    const SrsBenchOptions& opts = ctx_->options();
    SrsHttpUri uri;
    if ((err = uri.initialize(url_)) != srs_success) {
        return srs_error_wrap(err, "flv url %s", url_.c_str());
    }
    SrsHttpClient client;
    if ((err = client.initialize(uri.schema(), uri.host(), uri.port(), opts.timeout)) != srs_success) {
        return srs_error_wrap(err, "flv client");
    }
    // A live stream has no end: the body limit is off, the recv timeout catches stalls.
    client.set_body_limit(INT64_MAX);
    std::unique_ptr<SrsHttpMessage> resp;
    if ((err = client.get(uri.request_target(), "", &resp)) != srs_success) {
        return srs_error_wrap(err, "flv get %s", url_.c_str());
    }
    if (resp->status() != 200) {
        return srs_error_new(ERROR_HTTP_RESPONSE_CODE, "flv get %s: status %d", url_.c_str(), resp->status());
    }
    on_connected();

    ISrsProtocolReadWriter* io = client.io();
    SrsFlvDecoder dec(resp->body_reader());
    if ((err = dec.read_header()) != srs_success) {
        return srs_error_wrap(err, "flv header");
    }
    on_bytes(io->get_recv_bytes());
    char* discard = ctx_->discard_buffer();
    while (true) {
        if ((err = pull()) != srs_success) {
            return err;
        }
        uint8_t type = 0;
        int32_t size = 0;
        int64_t timestamp = 0;
        if ((err = dec.read_tag_header(&type, &size, &timestamp)) != srs_success) {
            if (resp->body_reader()->eof()) {
                srs_error_reset(err);
                return srs_error_new(ERROR_BENCH_STREAM_ENDED, "flv: the server ended the stream");
            }
            return srs_error_wrap(err, "flv tag header");
        }
        if ((err = dec.read_tag_data(discard, size)) != srs_success) {
            return srs_error_wrap(err, "flv tag data of %d bytes", (int)size);
        }
        if ((err = dec.read_previous_tag_size(size)) != srs_success) {
            return srs_error_wrap(err, "flv previous tag size");
        }
        // Audio (8) and video (9) are media; script data (18) is not.
        if (type == 8 || type == 9) {
            on_media((uint32_t)timestamp, io->get_recv_bytes(), true);
        } else {
            on_bytes(io->get_recv_bytes());
        }
    }
}

SrsBenchHlsPlayer::SrsBenchHlsPlayer(SrsBenchContext* ctx, int index, const std::string& url)
    : SrsBenchClient(ctx, index, url) {}

srs_error_t SrsBenchHlsPlayer::fetch(SrsHttpClient* client, const std::string& url, std::string* final_url,
                                     std::string* body) {
    srs_error_t err = srs_success;
    const SrsBenchOptions& opts = ctx_->options();
    std::string target = url;
    for (int redirects = 0;; redirects++) {
        SrsHttpUri uri;
        if ((err = uri.initialize(target)) != srs_success) {
            return srs_error_wrap(err, "hls url %s", target.c_str());
        }
        // A segment or redirect may point elsewhere; only loopback is allowed.
        if (!srs_bench_is_loopback(uri.host())) {
            return srs_error_new(ERROR_BENCH_NOT_LOOPBACK, "hls: refusing %s, not loopback", target.c_str());
        }
        if (uri.host() != client->host() || uri.port() != client->port()) {
            client->close();
            if ((err = client->initialize(uri.schema(), uri.host(), uri.port(), opts.timeout)) != srs_success) {
                return srs_error_wrap(err, "hls client");
            }
        }
        client->set_body_limit(INT64_MAX);
        std::unique_ptr<SrsHttpMessage> resp;
        if ((err = client->get(uri.request_target(), "", &resp)) != srs_success) {
            return srs_error_wrap(err, "hls get %s", target.c_str());
        }
        int status = resp->status();
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            std::string location = resp->header()->get("Location");
            if (location.empty() || redirects >= 5) {
                return srs_error_new(ERROR_HTTP_REDIRECT_LIMIT, "hls: redirect %d of %s to '%s'", redirects,
                                     target.c_str(), location.c_str());
            }
            // Drain the redirect's body so the connection can be reused.
            ISrsHttpBodyReader* r = resp->body_reader();
            while (!r->eof()) {
                ssize_t n = 0;
                if ((err = r->read(ctx_->discard_buffer(), 64 * 1024, &n)) != srs_success) {
                    return srs_error_wrap(err, "hls redirect body");
                }
            }
            target = srs_bench_resolve_url(target, location);
            continue;
        }
        if (status != 200) {
            return srs_error_new(ERROR_HTTP_RESPONSE_CODE, "hls get %s: status %d", target.c_str(), status);
        }
        *final_url = target;
        ISrsHttpBodyReader* r = resp->body_reader();
        if (body) {
            // A playlist is small; a megabyte is far more than any live window.
            body->clear();
            char buf[4096];
            while (!r->eof()) {
                ssize_t n = 0;
                if ((err = r->read(buf, sizeof(buf), &n)) != srs_success) {
                    return srs_error_wrap(err, "hls playlist body");
                }
                body->append(buf, n);
                body_bytes_ += n;
                if (body->size() > 1024 * 1024) {
                    return srs_error_new(ERROR_HTTP_BODY_TOO_LARGE, "hls playlist over 1 MiB");
                }
            }
            on_bytes(body_bytes_);
            return err;
        }
        while (!r->eof()) {
            if ((err = pull()) != srs_success) {
                return err;
            }
            ssize_t n = 0;
            if ((err = r->read(ctx_->discard_buffer(), 64 * 1024, &n)) != srs_success) {
                return srs_error_wrap(err, "hls segment body");
            }
            body_bytes_ += n;
            on_bytes(body_bytes_);
        }
        return err;
    }
}

srs_error_t SrsBenchHlsPlayer::do_cycle() {
    srs_error_t err = srs_success;
    SrsHttpClient client;
    std::string playlist_url = url_;
    int64_t next_sequence = -1;
    int variant_hops = 0;
    srs_utime_t last_new_at = srs_update_system_time();
    while (true) {
        if ((err = pull()) != srs_success) {
            return err;
        }
        srs_utime_t load_at = srs_update_system_time();
        std::string text;
        std::string answered;
        if ((err = fetch(&client, playlist_url, &answered, &text)) != srs_success) {
            return srs_error_wrap(err, "playlist");
        }
        // Keep the URL that answered: a redirect's session parameter must stick.
        playlist_url = answered;
        SrsBenchPlaylist pl;
        if ((err = srs_bench_parse_m3u8(text, &pl)) != srs_success) {
            return srs_error_wrap(err, "playlist %s", playlist_url.c_str());
        }
        if (!pl.variants.empty()) {
            if (++variant_hops > 3) {
                return srs_error_new(ERROR_BENCH_PLAYLIST, "hls: master playlists nest too deep");
            }
            playlist_url = srs_bench_resolve_url(playlist_url, pl.variants[0]);
            continue;
        }
        if (!stat_.connected()) {
            on_connected();
        }
        if (next_sequence < 0 && !pl.segments.empty()) {
            // Start three segments from the live end, as hls.js does by default.
            size_t start = pl.segments.size() > 3 ? pl.segments.size() - 3 : 0;
            next_sequence = pl.segments[start].sequence;
        }
        bool changed = false;
        for (const SrsBenchSegment& s : pl.segments) {
            if (s.sequence < next_sequence) {
                continue;
            }
            std::string ignored;
            if ((err = fetch(&client, srs_bench_resolve_url(playlist_url, s.uri), &ignored, nullptr)) != srs_success) {
                return srs_error_wrap(err, "segment %lld", (long long)s.sequence);
            }
            on_media(0, body_bytes_, false);
            next_sequence = s.sequence + 1;
            changed = true;
        }
        if (changed) {
            last_new_at = srs_get_system_time();
        } else if (srs_get_system_time() - last_new_at >
                   std::max(ctx_->options().timeout, (srs_utime_t)(3 * pl.target_duration * SRS_UTIME_SECONDS))) {
            return srs_error_new(ERROR_BENCH_NO_MEDIA, "hls: no new segment for %d ms",
                                 srsu2msi(srs_get_system_time() - last_new_at));
        }
        if (pl.endlist) {
            return srs_error_new(ERROR_BENCH_STREAM_ENDED, "hls: playlist ended (EXT-X-ENDLIST)");
        }
        // RFC 8216 6.3.4: reload after the target duration when the playlist changed,
        // after half of it when it did not.
        srs_utime_t target = std::max(1, pl.target_duration) * SRS_UTIME_SECONDS;
        srs_utime_t wait = changed ? target : target / 2;
        srs_utime_t elapsed = srs_update_system_time() - load_at;
        if (wait > elapsed) {
            srs_usleep(wait - elapsed);
        }
    }
}
