#include <srs_app_dvr_api.hpp>

#include <srs_app_api_context.hpp>
#include <srs_app_dvr.hpp>
#include <srs_core_log.hpp>
#include <srs_protocol_http_message.hpp>

#include <nlohmann/json.hpp>

using json = nlohmann::ordered_json;

namespace {

json status_json(const SrsDvrStatus& st) {
    return json{{"vhost", st.vhost},  {"app", st.app}, {"stream", st.stream},           {"plan", st.plan},
                {"file", st.file},    {"tmp", st.tmp}, {"duration_ms", st.duration_ms}, {"bytes", st.bytes},
                {"by_api", st.by_api}};
}

}  // namespace

srs_error_t SrsDvrApi::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    if (r->is_get() || r->is_head()) {
        return list(w, r);
    }
    if (r->is_post()) {
        return control(w, r);
    }
    w->header()->set("Allow", "GET, HEAD, POST");
    return srs_api_respond(w, r, ctx_->envelope(ERROR_HTTP_METHOD_NOT_ALLOWED), 405);
}

srs_error_t SrsDvrApi::list(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    json arr = json::array();
    if (dvr_) {
        for (const SrsDvrStatus& st : dvr_->recordings()) {
            arr.push_back(status_json(st));
        }
    }
    json obj = ctx_->envelope();
    obj["dvrs"] = arr;
    return srs_api_respond(w, r, obj);
}

srs_error_t SrsDvrApi::control(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    srs_error_t err = srs_success;
    // The fields from the query, or from a JSON body {"vhost":..,"app":..,"stream":..,"action":..}.
    std::string vhost = r->query_get("vhost");
    std::string app = r->query_get("app");
    std::string stream = r->query_get("stream");
    std::string action = r->query_get("action");
    std::string body;
    if ((err = r->body_read_all(&body)) != srs_success) {
        srs_warn("api: dvr body: %s", srs_error_desc(err).c_str());
        srs_error_reset(err);
        return srs_api_respond(w, r, ctx_->envelope(ERROR_HTTP_DATA_INVALID), 400);
    }
    if (!body.empty()) {
        json j = json::parse(body, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            return srs_api_respond(w, r, ctx_->envelope(ERROR_HTTP_JSON_REQUIRED), 400);
        }
        auto take = [&](const char* k, std::string* v) {
            if (v->empty() && j.contains(k) && j[k].is_string()) {
                *v = j[k].get<std::string>();
            }
        };
        take("vhost", &vhost);
        take("app", &app);
        take("stream", &stream);
        take("action", &action);
    }
    if (vhost.empty()) {
        vhost = "__defaultVhost__";
    }
    if (app.empty() || stream.empty() || (action != "start" && action != "stop")) {
        return srs_api_respond(w, r, ctx_->envelope(ERROR_HTTP_DATA_INVALID), 400);
    }
    err = dvr_ ? dvr_->control(vhost, app, stream, action == "start") : srs_error_new(ERROR_DVR_DISABLED, "no dvr");
    if (err != srs_success) {
        int code = srs_error_code(err);
        srs_warn("api: dvr %s %s/%s/%s: %s", action.c_str(), vhost.c_str(), app.c_str(), stream.c_str(),
                 srs_error_desc(err).c_str());
        srs_error_reset(err);
        return srs_api_respond(w, r, ctx_->envelope(code));
    }
    srs_trace("api: dvr %s %s/%s/%s from %s", action.c_str(), vhost.c_str(), app.c_str(), stream.c_str(),
              r->peer_ip().c_str());
    json obj = ctx_->envelope();
    for (const SrsDvrStatus& st : dvr_->recordings()) {
        if (st.vhost == vhost && st.app == app && st.stream == stream) {
            obj["dvr"] = status_json(st);
        }
    }
    return srs_api_respond(w, r, obj);
}
