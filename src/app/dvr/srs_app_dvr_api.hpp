// The DVR in the HTTP API: GET /api/v1/dvrs lists the streams recording now, POST
// /api/v1/dvrs?vhost=&app=&stream=&action=start|stop starts or stops recording one published
// stream (see doc/api.md and doc/dvr.md).
#pragma once

#include <srs_protocol_http_mux.hpp>

class SrsDvrServer;
class SrsHttpApiContext;

// Serves /api/v1/dvrs behind the API's CORS and auth (it is registered on the API's mux).
class SrsDvrApi : public ISrsHttpHandler {
public:
    // Neither is owned; both outlive the API's mux.
    SrsDvrApi(SrsHttpApiContext* ctx, SrsDvrServer* dvr) : ctx_(ctx), dvr_(dvr) {}
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    srs_error_t list(ISrsHttpResponseWriter* w, SrsHttpMessage* r);
    srs_error_t control(ISrsHttpResponseWriter* w, SrsHttpMessage* r);

private:
    SrsHttpApiContext* ctx_;
    SrsDvrServer* dvr_;
};
