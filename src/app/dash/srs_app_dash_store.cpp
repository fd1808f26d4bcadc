#include <srs_app_dash_store.hpp>

#include <srs_core_utility.hpp>
#include <srs_protocol_http_message.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_protocol_http_static.hpp>

namespace {

// One file from memory.
class MemoryFileHandler : public ISrsHttpHandler {
public:
    explicit MemoryFileHandler(std::shared_ptr<const std::string> body) : body_(std::move(body)) {}

    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override {
        std::string ext = r->ext();
        w->header()->set_content_type(srs_http_mime_type(ext));
        // A live MPD changes every segment; segments never change.
        if (srs_string_lower(ext) == ".mpd") {
            w->header()->set("Cache-Control", "no-cache");
        }
        w->header()->set_content_length((int64_t)body_->size());
        w->write_header(200);
        if (r->is_head()) {
            return w->final_request();
        }
        srs_error_t err = w->write(body_->data(), (int)body_->size());
        if (err != srs_success) {
            return err;
        }
        return w->final_request();
    }

private:
    std::shared_ptr<const std::string> body_;
};

}  // namespace

srs_error_t SrsDashMemoryStore::hijack(SrsHttpMessage* r, std::shared_ptr<ISrsHttpHandler>* ph) {
    if (empty() || !(r->is_get() || r->is_head())) {
        return srs_success;
    }
    std::shared_ptr<const std::string> body = get(r->path());
    if (body) {
        *ph = std::make_shared<MemoryFileHandler>(std::move(body));
    }
    return srs_success;
}
