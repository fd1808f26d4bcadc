#include <srs_protocol_redis.hpp>

#include <cstdlib>

std::string srs_redis_encode(const std::vector<std::string>& args) {
    std::string s = "*" + std::to_string(args.size()) + "\r\n";
    for (const std::string& a : args) {
        s.append("$").append(std::to_string(a.size())).append("\r\n").append(a).append("\r\n");
    }
    return s;
}

namespace {

// Reads the line at pos (without CRLF); false when the CRLF is not there yet.
bool srs_redis_line(const std::string& d, size_t pos, std::string* line, size_t* next) {
    size_t e = d.find("\r\n", pos);
    if (e == std::string::npos) {
        return false;
    }
    *line = d.substr(pos, e - pos);
    *next = e + 2;
    return true;
}

srs_error_t srs_redis_integer(const std::string& s, int64_t* v) {
    if (s.empty() || s.size() > 20) {
        return srs_error_new(ERROR_SYSTEM_PACKET_INVALID, "redis: bad integer \"%s\"", s.substr(0, 24).c_str());
    }
    size_t i = s[0] == '-' ? 1 : 0;
    if (i == s.size() || s.find_first_not_of("0123456789", i) != std::string::npos) {
        return srs_error_new(ERROR_SYSTEM_PACKET_INVALID, "redis: bad integer \"%s\"", s.c_str());
    }
    *v = strtoll(s.c_str(), nullptr, 10);
    return srs_success;
}

// Parses at pos; *next is 0 when incomplete.
srs_error_t srs_redis_parse_at(const std::string& d, size_t pos, size_t* next, SrsRedisReply* out, int64_t max_bulk,
                               int depth) {
    srs_error_t err = srs_success;
    *next = 0;
    if (pos >= d.size()) {
        return err;
    }
    char t = d[pos];
    std::string line;
    size_t after = 0;
    if (!srs_redis_line(d, pos + 1, &line, &after)) {
        // No CRLF yet: a bounded wait, a header line is short.
        if (d.size() - pos > 64 * 1024) {
            return srs_error_new(ERROR_SYSTEM_PACKET_INVALID, "redis: line over 64 KiB");
        }
        return err;
    }
    switch (t) {
        case '+':
            out->type = SrsRedisReply::Status;
            out->str = line;
            *next = after;
            return err;
        case '-':
            out->type = SrsRedisReply::Error;
            out->str = line;
            *next = after;
            return err;
        case ':':
            out->type = SrsRedisReply::Integer;
            if ((err = srs_redis_integer(line, &out->integer)) != srs_success) {
                return err;
            }
            *next = after;
            return err;
        case '$': {
            int64_t n = 0;
            if ((err = srs_redis_integer(line, &n)) != srs_success) {
                return err;
            }
            if (n == -1) {
                out->type = SrsRedisReply::Nil;
                *next = after;
                return err;
            }
            if (n < 0 || n > max_bulk) {
                return srs_error_new(ERROR_SYSTEM_PACKET_INVALID, "redis: bulk of %lld bytes", (long long)n);
            }
            if (d.size() < after + (size_t)n + 2) {
                return err;
            }
            if (d.compare(after + n, 2, "\r\n") != 0) {
                return srs_error_new(ERROR_SYSTEM_PACKET_INVALID, "redis: bulk not ended by CRLF");
            }
            out->type = SrsRedisReply::Bulk;
            out->str = d.substr(after, n);
            *next = after + n + 2;
            return err;
        }
        case '*': {
            int64_t n = 0;
            if ((err = srs_redis_integer(line, &n)) != srs_success) {
                return err;
            }
            if (n == -1) {
                out->type = SrsRedisReply::Nil;
                *next = after;
                return err;
            }
            if (n < 0 || n > 1024 || depth >= 8) {
                return srs_error_new(ERROR_SYSTEM_PACKET_INVALID, "redis: array of %lld at depth %d", (long long)n,
                                     depth);
            }
            out->type = SrsRedisReply::Array;
            out->elements.clear();
            size_t p = after;
            for (int64_t i = 0; i < n; i++) {
                SrsRedisReply e;
                size_t q = 0;
                if ((err = srs_redis_parse_at(d, p, &q, &e, max_bulk, depth + 1)) != srs_success) {
                    return err;
                }
                if (!q) {
                    return err;
                }
                out->elements.push_back(std::move(e));
                p = q;
            }
            *next = p;
            return err;
        }
        default:
            return srs_error_new(ERROR_SYSTEM_PACKET_INVALID, "redis: unknown reply type 0x%02x", (uint8_t)t);
    }
}

}  // namespace

srs_error_t srs_redis_parse(const std::string& data, size_t* consumed, SrsRedisReply* out, int64_t max_bulk) {
    return srs_redis_parse_at(data, 0, consumed, out, max_bulk, 0);
}

srs_error_t SrsRedisClient::command(const std::vector<std::string>& args, SrsRedisReply* reply) {
    srs_error_t err = srs_success;
    std::string req = srs_redis_encode(args);
    ssize_t nwrite = 0;
    if ((err = io_->write(req.data(), req.size(), &nwrite)) != srs_success) {
        return srs_error_wrap(err, "redis: send %s", args.empty() ? "" : args[0].c_str());
    }
    char tmp[4096];
    while (true) {
        size_t consumed = 0;
        if ((err = srs_redis_parse(buf_, &consumed, reply)) != srs_success) {
            return srs_error_wrap(err, "redis: reply to %s", args.empty() ? "" : args[0].c_str());
        }
        if (consumed) {
            buf_.erase(0, consumed);
            return err;
        }
        ssize_t nread = 0;
        if ((err = io_->read(tmp, sizeof(tmp), &nread)) != srs_success) {
            return srs_error_wrap(err, "redis: read reply to %s", args.empty() ? "" : args[0].c_str());
        }
        buf_.append(tmp, nread);
    }
}
