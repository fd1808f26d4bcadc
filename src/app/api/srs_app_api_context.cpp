#include <srs_app_api_context.hpp>

#include <srs_protocol_http_response.hpp>

#include <cctype>

using json = nlohmann::ordered_json;

std::string srs_json_dumps(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

srs_error_t srs_api_respond(ISrsHttpResponseWriter* w, SrsHttpMessage* r, const json& body, int status) {
    std::string data = srs_json_dumps(body);
    // JSONP (SRS: any request with callback=): the body is a call of the named function.
    // The name goes into a script, so only identifier characters are kept.
    if (r->query_params().has("callback")) {
        std::string cb;
        for (char c : r->query_get("callback")) {
            if (isalnum((unsigned char)c) || c == '_' || c == '$' || c == '.') {
                cb.push_back(c);
            }
        }
        return srs_http_write_response(w, status, "text/javascript", cb + "(" + data + ")");
    }
    return srs_http_write_response(w, status, "application/json", data);
}

bool srs_base64_decode(const std::string& in, std::string* out) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '+')
            return 62;
        if (c == '/')
            return 63;
        return -1;
    };
    if (in.size() % 4 != 0) {
        return false;
    }
    std::string s;
    for (size_t i = 0; i < in.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            char c = in[i + k];
            if (c == '=') {
                // Padding only at the end, at most two.
                if (i + 4 != in.size() || k < 2) {
                    return false;
                }
                pad++;
                v[k] = 0;
                continue;
            }
            if (pad || (v[k] = value(c)) < 0) {
                return false;
            }
        }
        uint32_t n = (uint32_t)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
        s.push_back((char)(n >> 16));
        if (pad < 2) {
            s.push_back((char)(n >> 8 & 0xff));
        }
        if (pad < 1) {
            s.push_back((char)(n & 0xff));
        }
    }
    *out = s;
    return true;
}

json SrsHttpApiContext::envelope(int code) const {
    return json{{"code", code},
                {"server", stat_->server_id()},
                {"service", stat_->service_id()},
                {"pid", stat_->service_pid()}};
}
