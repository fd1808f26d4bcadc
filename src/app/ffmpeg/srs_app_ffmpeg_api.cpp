#include <srs_app_ffmpeg_api.hpp>

#include <srs_app_api_context.hpp>
#include <srs_app_ffmpeg_process.hpp>
#include <srs_app_transcode.hpp>
#include <srs_core_error_code.hpp>
#include <srs_protocol_http_message.hpp>

using json = nlohmann::ordered_json;

json srs_processes_json(const SrsProcessSupervisor& supervisor, const SrsTranscodeServer* transcode) {
    srs_utime_t now = srs_update_system_time();
    json arr = json::array();
    for (const auto& c : supervisor.children()) {
        const SrsChildSpec& s = c->spec();
        arr.push_back(json{{"id", c->id()},
                           {"kind", s.kind},
                           {"name", s.name},
                           {"stream", s.stream},
                           {"cid", s.cid},
                           {"command", c->command()},
                           {"argv", s.argv},
                           {"pid", (int)c->pid()},
                           {"state", srs_child_state_name(c->state())},
                           {"restarts", c->restarts()},
                           {"uptime_ms", srsu2ms(c->uptime(now))},
                           {"last_exit", c->last_exit()},
                           {"log", s.log_file.empty() ? "/dev/null" : s.log_file}});
    }
    if (transcode) {
        for (const SrsTranscodeHeld& h : transcode->held()) {
            arr.push_back(json{{"id", 0},
                               {"kind", "transcode"},
                               {"name", h.name},
                               {"stream", h.stream},
                               {"cid", h.cid},
                               {"command", ""},
                               {"argv", json::array()},
                               {"pid", 0},
                               {"state", h.state},
                               {"restarts", 0},
                               {"uptime_ms", 0},
                               {"last_exit", ""},
                               {"log", h.log_file.empty() ? "/dev/null" : h.log_file},
                               {"reason", h.reason}});
        }
    }
    return json{{"processes", arr}};
}

srs_error_t SrsProcessesApi::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    if (!r->is_get()) {
        return srs_api_respond(w, r, ctx_->envelope(ERROR_HTTP_METHOD_NOT_ALLOWED), 405);
    }
    json obj = ctx_->envelope();
    obj["processes"] = srs_processes_json(*supervisor_, transcode_)["processes"];
    return srs_api_respond(w, r, obj);
}
