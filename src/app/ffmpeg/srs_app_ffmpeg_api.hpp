// /api/v1/processes: the children of the server (transcode, ingest, exec) with their command,
// pid, state, restarts and uptime. Registered on the API's mux by the server, so the API's
// auth and CORS apply. See doc/api.md.
#pragma once

#include <srs_protocol_http_mux.hpp>

#include <nlohmann/json.hpp>

class SrsProcessSupervisor;
class SrsHttpApiContext;

// The JSON of the children: {"processes":[{"id","kind","name","stream","cid","command","argv",
// "pid","state","restarts","uptime_ms","last_exit","log"}]}.
nlohmann::ordered_json srs_processes_json(const SrsProcessSupervisor& supervisor);

// Answers GET with the envelope of the API and the children.
class SrsProcessesApi : public ISrsHttpHandler {
public:
    // Neither is owned; both outlive the API's mux.
    SrsProcessesApi(SrsHttpApiContext* ctx, SrsProcessSupervisor* supervisor) : ctx_(ctx), supervisor_(supervisor) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    SrsHttpApiContext* ctx_;
    SrsProcessSupervisor* supervisor_;
};
