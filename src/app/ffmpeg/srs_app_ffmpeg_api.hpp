// /api/v1/processes: the children of the server (transcode, ingest, exec) with their command,
// pid, state, restarts and uptime, and the transcode engines that run no ffmpeg (waiting for the
// stream's codecs, or unsupported codecs) with the reason. Registered on the API's mux by the server, so the API's
// auth and CORS apply. See doc/api.md.
#pragma once

#include <srs_protocol_http_mux.hpp>

#include <nlohmann/json.hpp>

class SrsProcessSupervisor;
class SrsHttpApiContext;
class SrsTranscodeServer;

// The JSON of the children: {"processes":[{"id","kind","name","stream","cid","command","argv",
// "pid","state","restarts","uptime_ms","last_exit","log"}]}, then the held transcode engines of
// transcode (when given) in the same shape, with id 0, no command and pid, state "waiting" or
// "unsupported", and a "reason".
nlohmann::ordered_json srs_processes_json(const SrsProcessSupervisor& supervisor,
                                          const SrsTranscodeServer* transcode = nullptr);

// Answers GET with the envelope of the API and the children.
class SrsProcessesApi : public ISrsHttpHandler {
public:
    // None is owned; all outlive the API's mux. transcode may be null.
    SrsProcessesApi(SrsHttpApiContext* ctx, SrsProcessSupervisor* supervisor,
                    const SrsTranscodeServer* transcode = nullptr)
        : ctx_(ctx), supervisor_(supervisor), transcode_(transcode) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    SrsHttpApiContext* ctx_;
    SrsProcessSupervisor* supervisor_;
    const SrsTranscodeServer* transcode_;
};
