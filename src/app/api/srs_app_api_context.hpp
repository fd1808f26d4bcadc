// The contract between the HTTP API and the features that add routes to it (DVR, ffmpeg) or
// write JSON bodies (hooks): the API's shared context, its envelope and JSONP response, and
// what the API needs from the server. A base folder, so that a feature adds an API route
// without depending on the HTTP server.
#pragma once

#include <srs_app_conn.hpp>
#include <srs_app_statistic.hpp>
#include <srs_app_sysinfo.hpp>
#include <srs_protocol_http_mux.hpp>

#include <nlohmann/json.hpp>

#include <string>

// What the API needs from the server. SrsServer implements it.
class ISrsHttpApiServer {
public:
    virtual ~ISrsHttpApiServer() = default;
    // The live connection with this context id, to kick it; null when none.
    virtual ISrsConnection* find_connection(const std::string& cid) = 0;
    // Reloads the config as SIGHUP does.
    virtual srs_error_t reload() = 0;
    // The server's part of /api/v1/summaries.
    virtual SrsSummaryContext summary_context() = 0;
};

// The http_api section of the config, as the API applies it; set again on reload.
struct SrsHttpApiOptions {
    bool crossdomain = true;
    bool auth_enabled = false;
    std::string username;
    std::string password;
    bool raw_api = false;
    bool allow_reload = false;
    bool allow_query = false;
    bool allow_update = false;
};

// Serializes JSON for the wire. Strings from clients (stream names, URLs, headers) may be
// invalid UTF-8; they are replaced by U+FFFD instead of throwing.
std::string srs_json_dumps(const nlohmann::ordered_json& j);

// Writes an API body: JSON, or JSONP "callback(...)" when the query has callback=.
srs_error_t srs_api_respond(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const nlohmann::ordered_json& body,
                            int status = 200);

// Decodes standard base64 (RFC 4648 4); false on invalid input.
bool srs_base64_decode(const std::string& in, std::string* out);

// The API's shared state: statistics, system info, the server and the options. Handlers
// point at it; it outlives them (owned by the server with the API's mux).
class SrsHttpApiContext {
public:
    SrsHttpApiContext(SrsStatistic* stat, SrsSystemInfo* sys, ISrsHttpApiServer* server)
        : stat_(stat), sys_(sys), server_(server) {}

public:
    // {"code":code,"server":...,"service":...,"pid":...}, the head of every response.
    nlohmann::ordered_json envelope(int code = 0) const;

    SrsStatistic* stat_;
    SrsSystemInfo* sys_;
    ISrsHttpApiServer* server_;
    SrsHttpApiOptions options_;
};
