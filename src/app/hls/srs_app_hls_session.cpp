#include <srs_app_hls_session.hpp>

#include <srs_app_config.hpp>
#include <srs_app_hls_master.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_protocol_http_message.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_protocol_http_static.hpp>
#include <srs_protocol_rtmp_request.hpp>

#include <algorithm>

std::string srs_hls_ctx_url(const std::string& path, const std::string& query, const std::string& ctx) {
    std::string q;
    for (const std::string& kv : srs_string_split(query, "&")) {
        std::string key = kv.substr(0, kv.find('='));
        if (kv.empty() || key == SRS_HLS_CTX_PARAM) {
            continue;
        }
        q += (q.empty() ? "" : "&") + kv;
    }
    q += (q.empty() ? "" : "&") + std::string(SRS_HLS_CTX_PARAM) + "=" + ctx;
    return path + "?" + q;
}

std::string srs_hls_ctx_variant_playlist(const std::string& url, const std::string& attributes) {
    std::string attrs = attributes.empty() ? "BANDWIDTH=1,AVERAGE-BANDWIDTH=1" : attributes;
    return "#EXTM3U\n#EXT-X-STREAM-INF:" + attrs + "\n" + url + "\n";
}

std::string srs_hls_ctx_rewrite_playlist(const std::string& body, const std::string& ctx) {
    std::string out;
    out.reserve(body.size() + 64);
    size_t pos = 0;
    while (pos < body.size()) {
        size_t eol = body.find('\n', pos);
        size_t next = eol == std::string::npos ? body.size() : eol + 1;
        // The line without its terminator (LF or CRLF).
        size_t end = eol == std::string::npos ? body.size() : eol;
        if (end > pos && body[end - 1] == '\r') {
            end--;
        }
        std::string line = body.substr(pos, end - pos);
        std::string trimmed = srs_string_trim(line);
        const std::string map = "#EXT-X-MAP:URI=\"";
        size_t quote = std::string::npos;
        if (!trimmed.empty() && trimmed[0] != '#') {
            out += line;
            out += (line.find('?') == std::string::npos ? "?" : "&") + std::string(SRS_HLS_CTX_PARAM) + "=" + ctx;
        } else if (srs_string_starts_with(line, map) && (quote = line.find('"', map.size())) != std::string::npos) {
            std::string uri = line.substr(map.size(), quote - map.size());
            out += map + uri + (uri.find('?') == std::string::npos ? "?" : "&") + SRS_HLS_CTX_PARAM + "=" + ctx;
            out += line.substr(quote);
        } else {
            out += line;
        }
        out += body.substr(end, next - end);
        pos = next;
    }
    return out;
}

srs_utime_t srs_hls_ctx_timeout(srs_utime_t hls_fragment) {
    return std::max<srs_utime_t>(3 * hls_fragment, 10 * SRS_UTIME_SECONDS);
}

SrsHlsSession::SrsHlsSession(SrsClientLease lease, srs_utime_t now, srs_utime_t timeout)
    : lease_(std::move(lease)), last_(now), timeout_(timeout) {}

SrsHlsSessionTable::SrsHlsSessionTable(std::function<srs_utime_t()> clock) : clock_(std::move(clock)) {}

SrsHlsSession* SrsHlsSessionTable::add(SrsClientLease lease, srs_utime_t timeout) {
    std::unique_ptr<SrsHlsSession>& s = sessions_[lease.cid()];
    s = std::make_unique<SrsHlsSession>(std::move(lease), clock_(), timeout);
    return s.get();
}

SrsHlsSession* SrsHlsSessionTable::touch(const std::string& ctx) {
    SrsHlsSession* s = find(ctx);
    srs_utime_t now = clock_();
    if (!s || s->expired(now)) {
        return nullptr;
    }
    s->touch(now);
    return s;
}

SrsHlsSession* SrsHlsSessionTable::find(const std::string& ctx) const {
    auto it = sessions_.find(ctx);
    return it == sessions_.end() ? nullptr : it->second.get();
}

std::vector<std::unique_ptr<SrsHlsSession>> SrsHlsSessionTable::take_expired() {
    std::vector<std::unique_ptr<SrsHlsSession>> r;
    srs_utime_t now = clock_();
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (it->second->expired(now)) {
            r.push_back(std::move(it->second));
            it = sessions_.erase(it);
        } else {
            ++it;
        }
    }
    return r;
}

std::vector<std::unique_ptr<SrsHlsSession>> SrsHlsSessionTable::take_all() {
    std::vector<std::unique_ptr<SrsHlsSession>> r;
    for (auto& it : sessions_) {
        r.push_back(std::move(it.second));
    }
    sessions_.clear();
    return r;
}

SrsHlsSessions::SrsHlsSessions(SrsClientLifecycle* lifecycle, std::function<srs_utime_t()> clock)
    : lifecycle_(lifecycle), table_(std::move(clock)) {}

SrsHlsSessions::~SrsHlsSessions() {
    stop();
}

srs_error_t SrsHlsSessions::start() {
    if (trd_) {
        return srs_success;
    }
    trd_ = std::make_unique<SrsCoroutine>("hls-ctx", this);
    srs_error_t err = trd_->start();
    if (err != srs_success) {
        trd_.reset();
        return srs_error_wrap(err, "hls sessions");
    }
    return err;
}

void SrsHlsSessions::stop() {
    if (trd_) {
        trd_->stop();
        trd_.reset();
    }
    // At quit: the sessions leave the statistics, without on_stop calls that would hold the
    // quit for a hook timeout each.
    for (auto& s : table_.take_all()) {
        end(s.get(), SrsClientEnd::Quit);
    }
}

bool SrsHlsSessions::enabled(const SrsConfig& conf, const std::string& vhost) {
    return !vhost.empty() && conf.vhost(vhost, srs_key::vhost_hls_hls_ctx);
}

srs_error_t SrsHlsSessions::serve_playlist(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const SrsConfig& conf,
                                           const std::string& vhost, const std::string& body,
                                           const std::string& stream_inf) {
    srs_error_t err = srs_success;
    std::string ctx = r->query_get(SRS_HLS_CTX_PARAM);
    SrsHlsSession* s = ctx.empty() ? nullptr : table_.touch(ctx);
    bool multivariant = srs_hls_is_multivariant(body);

    if (!s) {
        // A new player (or one whose session ended or was kicked): the stream is the path,
        // [app]/[stream].m3u8 as hls_m3u8_file names it by default.
        const std::string& path = r->path();
        size_t slash = path.rfind('/');
        std::string app = slash == std::string::npos || slash == 0 ? "" : path.substr(1, slash - 1);
        std::string stream = path.substr(slash == std::string::npos ? 0 : slash + 1);
        stream = stream.substr(0, stream.rfind('.'));
        if (multivariant && srs_string_ends_with(stream, "-master")) {
            stream = stream.substr(0, stream.size() - 7);
        }

        SrsHookRequest h = srs_hook_request_of_http_player(r, srs_context_generate(), vhost, app, stream);
        SrsStatisticRequest sr;
        sr.vhost = vhost;
        sr.app = app;
        sr.stream = stream;
        sr.tcUrl = h.tcUrl;
        sr.pageUrl = h.pageUrl;
        sr.ip = h.ip;

        // security and refer were checked for this request by the static files (each HLS
        // request is): the lifecycle runs on_play.
        SrsClientAsk ask;
        ask.type = SrsAccessType::Play;
        ask.refer_all = true;
        ask.checked = true;
        SrsClientLease lease(h);
        if (lifecycle_ && (err = lifecycle_->admit(conf, ask, h, &lease)) != srs_success) {
            srs_warn("hls: %s play %s refused, 403: %s", h.ip.c_str(), path.c_str(), srs_error_summary(err).c_str());
            srs_error_reset(err);
            return srs_http_write_error(w, 403);
        }
        srs_utime_t timeout = srs_hls_ctx_timeout(conf.vhost(vhost, srs_key::vhost_hls_hls_fragment));
        lease.join_stats(sr, SrsClientHlsPlay, nullptr);
        table_.add(std::move(lease), timeout);
        std::string url = srs_hls_ctx_url(r->raw_path(), r->query(), h.client_id);
        srs_trace("hls: %s play %s as session %s, timeout=%dms, sessions=%d", h.ip.c_str(), path.c_str(),
                  h.client_id.c_str(), (int)(timeout / SRS_UTIME_MILLISECONDS), (int)table_.size());
        if (multivariant) {
            return write_playlist(w, h.client_id, srs_hls_ctx_rewrite_playlist(body, h.client_id));
        }
        return write_playlist(w, h.client_id, srs_hls_ctx_variant_playlist(url, stream_inf));
    }

    bool rewrite = multivariant || conf.vhost(vhost, srs_key::vhost_hls_hls_ts_ctx);
    std::string out = rewrite ? srs_hls_ctx_rewrite_playlist(body, ctx) : body;
    return write_playlist(w, ctx, out);
}

srs_error_t SrsHlsSessions::write_playlist(ISrsHttpResponseWriter* w, const std::string& ctx, const std::string& out) {
    srs_error_t err = srs_success;
    if (SrsStatistic* stat = lifecycle_ ? lifecycle_->stat() : nullptr) {
        stat->add_bytes(ctx, 0, (int64_t)out.size());
    }
    w->header()->set_content_type(srs_http_mime_type(".m3u8"));
    // A live playlist changes every segment, and the variant playlist of a session is its
    // own: neither may be cached (a CDN that did would give every viewer one session).
    w->header()->set("Cache-Control", "no-cache");
    w->header()->set_content_length((int64_t)out.size());
    w->write_header(200);
    if ((err = w->write(out.data(), (int)out.size())) != srs_success) {
        return err;
    }
    return w->final_request();
}

void SrsHlsSessions::on_request(SrsHttpMessage* r, int64_t bytes) {
    std::string ctx = r->query_get(SRS_HLS_CTX_PARAM);
    if (ctx.empty() || !table_.touch(ctx)) {
        return;
    }
    if (SrsStatistic* stat = lifecycle_ ? lifecycle_->stat() : nullptr) {
        stat->add_bytes(ctx, 0, bytes);
    }
}

void SrsHlsSessions::check() {
    for (auto& s : table_.take_expired()) {
        end(s.get(), s->kicked() ? SrsClientEnd::Kicked : SrsClientEnd::Normal);
    }
}

void SrsHlsSessions::end(SrsHlsSession* s, SrsClientEnd why) {
    srs_trace("hls: session %s of %s from %s ends (%s), sessions=%d", s->cid().c_str(), s->hook().stream_url.c_str(),
              s->remote_ip().c_str(), s->kicked() ? "kicked" : "timeout", (int)table_.size());
    s->lease().set_end(why);
    s->lease().release();
}

srs_error_t SrsHlsSessions::cycle() {
    srs_error_t err = srs_success;
    while (true) {
        if ((err = trd_->pull()) != srs_success) {
            // Stopped: the owner ends what is left.
            srs_error_reset(err);
            return srs_success;
        }
        check();
        srs_usleep(SRS_UTIME_SECONDS);
    }
    return err;
}
