// A small Redis client (RESP2, https://redis.io/docs/reference/protocol-spec/) for the origin
// cluster's stream registry: commands as arrays of bulk strings, and the replies they get.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_io.hpp>

#include <cstdint>
#include <string>
#include <vector>

// One reply: +simple string, -error, :integer, $bulk string (or nil), *array (or nil).
struct SrsRedisReply {
    enum Type { Status, Error, Integer, Bulk, Nil, Array };
    Type type = Nil;
    // The text of Status, Error and Bulk.
    std::string str;
    int64_t integer = 0;
    std::vector<SrsRedisReply> elements;
};

// A command as RESP sends it: *N then $len/arg for each argument.
std::string srs_redis_encode(const std::vector<std::string>& args);
// Parses one reply at the start of data. *consumed is 0 when data holds only part of a reply;
// a malformed reply fails with ERROR_SYSTEM_PACKET_INVALID. Bulk strings are bounded by
// max_bulk bytes and arrays by 1024 elements and 8 levels.
srs_error_t srs_redis_parse(const std::string& data, size_t* consumed, SrsRedisReply* out,
                            int64_t max_bulk = 1024 * 1024);

// Sends commands and reads their replies on one connection (not owned), one at a time.
class SrsRedisClient {
public:
    explicit SrsRedisClient(ISrsProtocolReadWriter* io) : io_(io) {}
    SRS_DISALLOW_COPY(SrsRedisClient);

public:
    // Sends args and reads the reply; an -ERR reply is a reply (type Error), not a failure.
    srs_error_t command(const std::vector<std::string>& args, SrsRedisReply* reply);

private:
    ISrsProtocolReadWriter* io_;
    // Bytes read past the last reply.
    std::string buf_;
};
