#include <srs_app_http_server.hpp>

#include <srs_app_config.hpp>
#include <srs_core_log.hpp>

namespace {

// The mux is shared with the CORS wrapper but owned by the server object.
class MuxRef : public ISrsHttpHandler {
public:
    explicit MuxRef(SrsHttpServeMux* mux) : mux_(mux) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override { return mux_->serve_http(w, r); }

private:
    SrsHttpServeMux* mux_;
};

}  // namespace

SrsHttpServer::SrsHttpServer(SrsLiveSourceManager* sources, RootFactory root)
    : streams_(sources, &mux_), root_(std::move(root)) {
    if (!root_) {
        root_ = [](const std::string& dir) { return std::make_shared<SrsHttpFileServer>(dir); };
    }
    mux_ref_ = std::make_shared<MuxRef>(&mux_);
    cors_ = std::make_shared<SrsHttpCorsMux>(mux_ref_, true);
    mux_.hijack(&streams_);
}

SrsHttpServer::~SrsHttpServer() {
    mux_.unhijack(&streams_);
}

srs_error_t SrsHttpServer::apply(std::shared_ptr<const SrsConfig> config) {
    srs_error_t err = srs_success;
    streams_.set_config(config);
    cors_->set_enabled(config->get(srs_key::http_server_crossdomain));
    std::string dir = config->get(srs_key::http_server_dir);
    if (dir != dir_ || !mux_.has("/")) {
        mux_.unhandle("/");
        if ((err = mux_.handle("/", root_(dir))) != srs_success) {
            return srs_error_wrap(err, "http server: mount %s", dir.c_str());
        }
        srs_trace("http server: static files from %s, crossdomain=%d", dir.c_str(), cors_->enabled());
        dir_ = dir;
    }
    return err;
}
