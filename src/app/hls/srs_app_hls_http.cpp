#include <srs_app_hls_http.hpp>

#include <srs_app_client_lifecycle.hpp>
#include <srs_app_config.hpp>
#include <srs_app_hls_master.hpp>
#include <srs_app_hls_muxer.hpp>
#include <srs_app_hls_session.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_http_response.hpp>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace {

// The config and vhost of an HLS request when its vhost gives sessions (hls_ctx on).
bool hls_ctx_on(const SrsClientLifecycle* lifecycle, SrsHlsSessions* sessions, SrsHttpMessage* r,
                std::shared_ptr<const SrsConfig>* conf, std::string* vhost) {
    if (!lifecycle || !sessions || !(*conf = lifecycle->config())) {
        return false;
    }
    *vhost = (*conf)->resolve_vhost(r->hostname());
    return SrsHlsSessions::enabled(**conf, *vhost);
}

std::string read_whole_file(const std::string& path, bool* ok) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    *ok = (bool)f;
    return ss.str();
}

// The EXT-X-STREAM-INF attributes of the multivariant playlist beside a media playlist body
// (the muxer writes both), for the variant playlist a new session gets; "" when none.
std::string stream_inf_beside(const std::string& body, const std::string& master_body) {
    return srs_hls_is_multivariant(body) ? "" : srs_hls_stream_inf_of(master_body);
}

}  // namespace

SrsHlsFileServer::SrsHlsFileServer(const std::string& dir, const SrsClientLifecycle* lifecycle,
                                   SrsHlsSessions* sessions)
    : SrsHttpFileServer(dir), lifecycle_(lifecycle), sessions_(sessions) {}

srs_error_t SrsHlsFileServer::serve_file(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const std::string& fullpath) {
    std::shared_ptr<const SrsConfig> conf;
    std::string vhost;
    if (!hls_ctx_on(lifecycle_, sessions_, r, &conf, &vhost)) {
        return SrsHttpFileServer::serve_file(w, r, fullpath);
    }
    std::string ext = srs_string_lower(r->ext());
    if (ext == ".m3u8" && r->is_get()) {
        bool ok = false;
        std::string body = read_whole_file(fullpath, &ok);
        if (!ok) {
            return srs_http_write_error(w, 404);
        }
        std::string master = srs_hls_is_multivariant(body) ? "" : read_whole_file(srs_hls_master_rel(fullpath), &ok);
        return sessions_->serve_playlist(w, r, *conf, vhost, body, stream_inf_beside(body, master));
    }
    struct stat st;
    sessions_->on_request(r, ::stat(fullpath.c_str(), &st) == 0 ? (int64_t)st.st_size : 0);
    return SrsHttpFileServer::serve_file(w, r, fullpath);
}

SrsHlsHttpHandler::SrsHlsHttpHandler(const std::string& dir, SrsHlsMemoryStore* store,
                                     const SrsClientLifecycle* lifecycle, SrsHlsSessions* sessions)
    : dir_(dir), store_(store), lifecycle_(lifecycle), sessions_(sessions), files_(dir, lifecycle, sessions) {}

bool SrsHlsHttpHandler::has_file(const std::string& path) const {
    return (store_ && store_->get(path)) || files_.has_file(path);
}

srs_error_t SrsHlsHttpHandler::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    // HLS players are players of the vhost their Host names: `security` and `refer` apply to
    // each playlist and segment request (cheap, local checks).
    std::string ext = srs_string_lower(r->ext());
    // fMP4 segments (.m4s), their init segments (.mp4) and keys (.key) are HLS requests as TS
    // ones are, and DASH's files on disk (.mpd, .m4s, .mp4) are served here too: the same
    // players' checks.
    if (lifecycle_ &&
        (ext == ".m3u8" || ext == ".ts" || ext == ".m4s" || ext == ".mp4" || ext == ".mpd" || ext == ".key")) {
        bool refused = false;
        srs_error_t err = lifecycle_->guard_http_file(w, r, &refused);
        if (err != srs_success || refused) {
            return err;
        }
    }
    if (store_ && (r->is_get() || r->is_head())) {
        std::shared_ptr<const std::string> body = store_->get(r->path());
        if (body) {
            std::shared_ptr<const SrsConfig> cc;
            std::string vhost;
            if (hls_ctx_on(lifecycle_, sessions_, r, &cc, &vhost)) {
                if (srs_string_lower(r->ext()) == ".m3u8" && r->is_get()) {
                    std::shared_ptr<const std::string> master = store_->get(srs_hls_master_rel(r->path()));
                    std::string inf = stream_inf_beside(*body, master ? *master : "");
                    return sessions_->serve_playlist(w, r, *cc, vhost, *body, inf);
                }
                sessions_->on_request(r, (int64_t)body->size());
            }
            std::string ext = r->ext();
            w->header()->set_content_type(srs_http_mime_type(ext));
            // A live playlist changes every segment; segments never change.
            if (srs_string_lower(ext) == ".m3u8") {
                w->header()->set("Cache-Control", "no-cache");
            }
            w->header()->set_content_length((int64_t)body->size());
            w->write_header(200);
            // The body is shared: the window may drop the segment while it is being sent.
            srs_error_t err = w->write(body->data(), (int)body->size());
            if (err != srs_success) {
                return err;
            }
            return w->final_request();
        }
    }
    return files_.serve_http(w, r);
}
