// The client's request: what it connected to (tcUrl, vhost, app) and what it plays or
// publishes (stream, query), parsed from the connect command and the stream name.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_time.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsAmf0Object;

// The vhost used when a client names none that is configured (as in SRS).
#define SRS_DEFAULT_VHOST "__defaultVhost__"
#define SRS_DEFAULT_RTMP_PORT 1935

// A client's request. The app layer resolves vhost against the config (an unknown vhost
// usually becomes SRS_DEFAULT_VHOST) before building the stream key.
class SrsRequest {
public:
    SrsRequest();
    ~SrsRequest();
    SRS_DISALLOW_COPY(SrsRequest);

public:
    // A deep copy, args included.
    std::unique_ptr<SrsRequest> copy() const;
    // Takes the authentication-related fields of a new request of the same stream (tcUrl,
    // pageUrl, swfUrl, param, args), for a client that republishes.
    void update_auth(const SrsRequest& req);

    // Parses tcUrl into schema, host, port, app, param and vhost. The vhost comes from a
    // "vhost=" (or "domain=") query, or the old SRS form "app...vhost...name", else the host.
    srs_error_t parse_tc_url();
    // Sets the stream from the name a client plays or publishes, which may carry a query
    // ("livestream?token=abc"): the query becomes param, and may name the vhost.
    void set_stream(const std::string& name);

    // The key of the stream: "/app/stream" on the default vhost, else "vhost/app/stream".
    std::string get_stream_url() const;
    // Removes characters that have no place in names (control characters, spaces, "."
    // and ".." path segments), so names are safe in logs, paths and URLs.
    void strip();

public:
    // The client's IP address.
    std::string ip;
    std::string tcUrl;
    std::string pageUrl;
    std::string swfUrl;
    // 0 for AMF0, 3 for AMF3; echoed in the connect _result.
    double objectEncoding = 0;

    std::string schema;
    std::string host;
    std::string vhost;
    int port = SRS_DEFAULT_RTMP_PORT;
    std::string app;
    std::string stream;
    // The query string with its leading "?", kept for authentication and hooks.
    std::string param;

    // The duration a player asked for, or -1 for all.
    srs_utime_t duration = -1;
    // The enhanced RTMP FourCCs the client listed in its connect (fourCcList, "*" for any) and its
    // capsEx; empty and 0 for a legacy client.
    std::vector<std::string> fourcc_list;
    int caps_ex = 0;
    // The connect command's optional arguments; null when none.
    std::unique_ptr<SrsAmf0Object> args;
};

// Splits "rtmp://host[:port]/app[?query]" into its parts. app keeps every path segment
// (it may contain slashes) without the leading and trailing "/" and without "/_definst_".
// query is returned without "?"; IPv6 hosts are written "[::1]:1935" and returned bare.
srs_error_t srs_rtmp_parse_tc_url(const std::string& tc_url, std::string* schema, std::string* host, int* port,
                                  std::string* app, std::string* query);
// The value of key in a query ("a=1&vhost=v"), also in the old SRS forms "...vhost...v" and
// "?vhost?v"; empty when absent.
std::string srs_rtmp_query_value(const std::string& query, const std::string& key);
// "/app/stream" on the default (or empty) vhost, else "vhost/app/stream".
std::string srs_generate_stream_url(const std::string& vhost, const std::string& app, const std::string& stream);
// "rtmp://host[:port]/app", the port written only when it is not the schema's default.
std::string srs_generate_tc_url(const std::string& schema, const std::string& host, int port, const std::string& app);
// Splits a full URL "rtmp://host/app/stream?query" into the tcUrl "rtmp://host/app" and the
// stream "stream?query" (the last path segment, as ffmpeg and OBS do).
srs_error_t srs_rtmp_split_url(const std::string& url, std::string* tc_url, std::string* stream);
