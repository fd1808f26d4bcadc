// The single table of error codes, by area. The values users see in the HTTP API
// (for example 2048 stream not found, 2049 client not found) are kept as in SRS.
#pragma once

// XX(name, code, description)
// 1000-1999: system (sockets, ST, files, processes, config).
// 2000-2999: RTMP and stream protocol.
// 3000-3999: application (sources, HLS, DVR, edge, hooks).
// 4000-4999: HTTP.
#define SRS_ERROR_CODES(XX)                                                          \
    XX(ERROR_SUCCESS, 0, "Success")                                                  \
    XX(ERROR_SOCKET_CREATE, 1000, "Create socket failed")                            \
    XX(ERROR_SOCKET_SETREUSE, 1001, "Set SO_REUSEADDR failed")                       \
    XX(ERROR_SOCKET_BIND, 1002, "Bind socket failed")                                \
    XX(ERROR_SOCKET_LISTEN, 1003, "Listen on socket failed")                         \
    XX(ERROR_SOCKET_CLOSED, 1004, "Socket is closed by peer")                        \
    XX(ERROR_SOCKET_GET_PEER_NAME, 1005, "Get peer name failed")                     \
    XX(ERROR_SOCKET_GET_PEER_IP, 1006, "Get peer IP failed")                         \
    XX(ERROR_SOCKET_READ, 1007, "Read from socket failed")                           \
    XX(ERROR_SOCKET_READ_FULLY, 1008, "Read fully from socket failed")               \
    XX(ERROR_SOCKET_WRITE, 1009, "Write to socket failed")                           \
    XX(ERROR_SOCKET_WAIT, 1010, "Wait for socket failed")                            \
    XX(ERROR_SOCKET_TIMEOUT, 1011, "Socket io timeout")                              \
    XX(ERROR_SOCKET_CONNECT, 1012, "Connect to server failed")                       \
    XX(ERROR_ST_SET_EPOLL, 1013, "Select the epoll event system of ST failed")       \
    XX(ERROR_ST_INITIALIZE, 1014, "Initialize ST failed")                            \
    XX(ERROR_ST_OPEN_SOCKET, 1015, "Open ST socket failed")                          \
    XX(ERROR_ST_CREATE_CYCLE_THREAD, 1016, "Create coroutine failed")                \
    XX(ERROR_ST_CONNECT, 1017, "ST connect failed")                                  \
    XX(ERROR_THREAD_INTERRUPED, 1018, "Coroutine is interrupted")                    \
    XX(ERROR_THREAD_TERMINATED, 1019, "Coroutine is terminated")                     \
    XX(ERROR_THREAD_DISPOSED, 1020, "Coroutine is disposed")                         \
    XX(ERROR_SYSTEM_PACKET_INVALID, 1021, "Packet is invalid")                       \
    XX(ERROR_SYSTEM_ASSERT_FAILED, 1022, "Assertion failed")                         \
    XX(ERROR_READER_BUFFER_OVERFLOW, 1023, "Reader buffer overflow")                 \
    XX(ERROR_SYSTEM_CONFIG_INVALID, 1024, "Config is invalid")                       \
    XX(ERROR_SYSTEM_CONFIG_DIRECTIVE, 1025, "Config directive is invalid")           \
    XX(ERROR_SYSTEM_CONFIG_BLOCK_START, 1026, "Config block start is invalid")       \
    XX(ERROR_SYSTEM_CONFIG_BLOCK_END, 1027, "Config block end is invalid")           \
    XX(ERROR_SYSTEM_CONFIG_EOF, 1028, "Config ends unexpectedly")                    \
    XX(ERROR_SYSTEM_STREAM_BUSY, 1029, "Stream is busy")                             \
    XX(ERROR_SYSTEM_IP_INVALID, 1030, "IP address is invalid")                       \
    XX(ERROR_SYSTEM_FORWARD_LOOP, 1031, "Forward loop detected")                     \
    XX(ERROR_SYSTEM_WAITPID, 1032, "Wait for child process failed")                  \
    XX(ERROR_SYSTEM_PID_ACQUIRE, 1033, "Acquire the pid file failed")                \
    XX(ERROR_SYSTEM_PID_ALREADY_RUNNING, 1034, "Another process holds the pid file") \
    XX(ERROR_SYSTEM_PID_LOCK, 1035, "Lock the pid file failed")                      \
    XX(ERROR_SYSTEM_PID_TRUNCATE_FILE, 1036, "Truncate the pid file failed")         \
    XX(ERROR_SYSTEM_PID_WRITE_FILE, 1037, "Write the pid file failed")               \
    XX(ERROR_SYSTEM_PID_GET_FILE_INFO, 1038, "Read pid file flags failed")           \
    XX(ERROR_SYSTEM_PID_SET_FILE_INFO, 1039, "Set pid file flags failed")            \
    XX(ERROR_SYSTEM_FILE_ALREADY_OPENED, 1040, "File is already opened")             \
    XX(ERROR_SYSTEM_FILE_OPENE, 1041, "Open file failed")                            \
    XX(ERROR_SYSTEM_FILE_CLOSE, 1042, "Close file failed")                           \
    XX(ERROR_SYSTEM_FILE_READ, 1043, "Read file failed")                             \
    XX(ERROR_SYSTEM_FILE_WRITE, 1044, "Write file failed")                           \
    XX(ERROR_SYSTEM_FILE_EOF, 1045, "File reached end")                              \
    XX(ERROR_SYSTEM_FILE_RENAME, 1046, "Rename file failed")                         \
    XX(ERROR_SYSTEM_CREATE_PIPE, 1047, "Create pipe failed")                         \
    XX(ERROR_SYSTEM_FILE_SEEK, 1048, "Seek file failed")                             \
    XX(ERROR_SYSTEM_FILE_NOT_EXISTS, 1049, "File does not exist")                    \
    XX(ERROR_SYSTEM_CREATE_DIR, 1050, "Create directory failed")                     \
    XX(ERROR_SYSTEM_KILL, 1051, "Kill process failed")                               \
    XX(ERROR_SYSTEM_CONFIG_PERSISTENCE, 1052, "Persist config failed")               \
    XX(ERROR_SYSTEM_CONFIG_RAW, 1053, "Raw API config failed")                       \
    XX(ERROR_SYSTEM_CONFIG_RAW_DISABLED, 1061, "Raw API is disabled")                \
    XX(ERROR_SYSTEM_CONFIG_RAW_NOT_ALLOWED, 1062, "Raw API action is not allowed")   \
    XX(ERROR_SYSTEM_CONFIG_RAW_PARAMS, 1063, "Raw API parameters are invalid")       \
    XX(ERROR_SYSTEM_FILE_UNLINK, 1064, "Unlink file failed")                         \
    XX(ERROR_SYSTEM_DNS_RESOLVE, 1065, "Resolve host failed")                        \
    XX(ERROR_SYSTEM_FRAGMENT_UNLINK, 1066, "Remove segment file failed")             \
    XX(ERROR_SYSTEM_FRAGMENT_RENAME, 1067, "Rename segment file failed")             \
    XX(ERROR_SYSTEM_TIME, 1068, "System time is invalid")                            \
    XX(ERROR_SYSTEM_SIGNAL, 1069, "Signal handling failed")                          \
    XX(ERROR_SYSTEM_RLIMIT, 1070, "Set resource limit failed")                       \
    XX(ERROR_SYSTEM_DAEMON, 1071, "Daemonize failed")                                \
    XX(ERROR_SYSTEM_CONNECTION_LIMIT, 1072, "Too many connections")                  \
    XX(ERROR_RTMP_PLAIN_REQUIRED, 2000, "RTMP handshake requires plain text")        \
    XX(ERROR_RTMP_CHUNK_START, 2001, "RTMP chunk must start with fmt 0")             \
    XX(ERROR_RTMP_MSG_INVALID_SIZE, 2002, "RTMP message size is invalid")            \
    XX(ERROR_RTMP_AMF0_DECODE, 2003, "AMF0 decode failed")                           \
    XX(ERROR_RTMP_AMF0_INVALID, 2004, "AMF0 data is invalid")                        \
    XX(ERROR_RTMP_AMF0_ENCODE, 2005, "AMF0 encode failed")                           \
    XX(ERROR_RTMP_CHUNK_SIZE, 2006, "RTMP chunk size is invalid")                    \
    XX(ERROR_RTMP_TRY_SIMPLE_HS, 2007, "RTMP complex handshake failed, try simple")  \
    XX(ERROR_RTMP_CH_SCHEMA, 2008, "RTMP handshake schema is invalid")               \
    XX(ERROR_RTMP_PACKET_SIZE, 2009, "RTMP packet size is invalid")                  \
    XX(ERROR_RTMP_VHOST_NOT_FOUND, 2010, "Vhost not found")                          \
    XX(ERROR_RTMP_ACCESS_DENIED, 2011, "Access denied")                              \
    XX(ERROR_RTMP_HANDSHAKE, 2012, "RTMP handshake failed")                          \
    XX(ERROR_RTMP_NO_REQUEST, 2013, "RTMP request is missing")                       \
    XX(ERROR_RTMP_HS_SSL_REQUIRE, 2014, "RTMP handshake requires OpenSSL")           \
    XX(ERROR_RTMP_DURATION_EXCEED, 2015, "RTMP play duration exceeded")              \
    XX(ERROR_RTMP_EDGE_PLAY_STATE, 2016, "Edge play state is invalid")               \
    XX(ERROR_RTMP_EDGE_PUBLISH_STATE, 2017, "Edge publish state is invalid")         \
    XX(ERROR_RTMP_EDGE_PROXY_PULL, 2018, "Edge proxy pull failed")                   \
    XX(ERROR_RTMP_EDGE_RELOAD, 2019, "Edge reload failed")                           \
    XX(ERROR_RTMP_AGGREGATE, 2020, "RTMP aggregate message is invalid")              \
    XX(ERROR_RTMP_BWTC_DATA, 2021, "RTMP bandwidth check data is invalid")           \
    XX(ERROR_OpenSslCreateDH, 2022, "OpenSSL create DH failed")                      \
    XX(ERROR_OpenSslCreateP, 2023, "OpenSSL create P failed")                        \
    XX(ERROR_OpenSslCreateG, 2024, "OpenSSL create G failed")                        \
    XX(ERROR_OpenSslParseP1024, 2025, "OpenSSL parse P1024 failed")                  \
    XX(ERROR_OpenSslSetG, 2026, "OpenSSL set G failed")                              \
    XX(ERROR_OpenSslGenerateDHKeys, 2027, "OpenSSL generate DH keys failed")         \
    XX(ERROR_OpenSslCopyKey, 2028, "OpenSSL copy key failed")                        \
    XX(ERROR_OpenSslSha256Update, 2029, "OpenSSL SHA256 update failed")              \
    XX(ERROR_OpenSslSha256Init, 2030, "OpenSSL SHA256 init failed")                  \
    XX(ERROR_OpenSslSha256Final, 2031, "OpenSSL SHA256 final failed")                \
    XX(ERROR_OpenSslSha256EvpDigest, 2032, "OpenSSL SHA256 digest failed")           \
    XX(ERROR_OpenSslSha256DigestSize, 2033, "OpenSSL SHA256 digest size is invalid") \
    XX(ERROR_OpenSslGetPeerPublicKey, 2034, "OpenSSL get peer public key failed")    \
    XX(ERROR_OpenSslComputeSharedKey, 2035, "OpenSSL compute shared key failed")     \
    XX(ERROR_RTMP_MIC_CHUNKSIZE_CHANGED, 2036, "RTMP chunk size changed")            \
    XX(ERROR_RTMP_MIC_CACHE_OVERFLOW, 2037, "RTMP message cache overflow")           \
    XX(ERROR_RTMP_CHUNK_STREAMS_LIMIT, 2038, "Too many RTMP chunk streams")          \
    XX(ERROR_RTMP_MESSAGE_TOO_LARGE, 2039, "RTMP message exceeds the size limit")    \
    XX(ERROR_RTMP_AMF0_DEPTH, 2040, "AMF0 nesting is too deep")                      \
    XX(ERROR_RTMP_AMF3_DECODE, 2041, "AMF3 decode failed")                           \
    XX(ERROR_RTMP_CLIENT_ROLE, 2042, "RTMP client role is unknown")                  \
    XX(ERROR_RTMP_STREAM_NAME_EMPTY, 2043, "RTMP stream name is empty")              \
    XX(ERROR_RTMP_URL_INVALID, 2044, "RTMP url is invalid")                          \
    XX(ERROR_RTMP_CONNECT_REJECTED, 2045, "RTMP connect is rejected")                \
    XX(ERROR_RTMP_PUBLISH_REJECTED, 2046, "RTMP publish is rejected")                \
    XX(ERROR_RTMP_PLAY_REJECTED, 2047, "RTMP play is rejected")                      \
    XX(ERROR_RTMP_STREAM_NOT_FOUND, 2048, "Stream not found")                        \
    XX(ERROR_RTMP_CLIENT_NOT_FOUND, 2049, "Client not found")                        \
    XX(ERROR_RTMP_STREAM_EOF, 2050, "RTMP stream ended")                             \
    XX(ERROR_KERNEL_BUFFER_UNDERFLOW, 2100, "Buffer has too few bytes")              \
    XX(ERROR_KERNEL_FLV_HEADER, 2101, "FLV header is invalid")                       \
    XX(ERROR_KERNEL_FLV_STREAM_CLOSED, 2102, "FLV stream is closed")                 \
    XX(ERROR_KERNEL_AVC_DECODE, 2103, "AVC decode failed")                           \
    XX(ERROR_KERNEL_AAC_DECODE, 2104, "AAC decode failed")                           \
    XX(ERROR_KERNEL_HEVC_DECODE, 2105, "HEVC decode failed")                         \
    XX(ERROR_KERNEL_CODEC_UNSUPPORTED, 2106, "Codec is not supported")               \
    XX(ERROR_KERNEL_TS_MUX, 2107, "MPEG-TS mux failed")                              \
    XX(ERROR_KERNEL_MP3_DECODE, 2108, "MP3 decode failed")                           \
    XX(ERROR_KERNEL_MP4_MUX, 2109, "MP4 mux failed")                                 \
    XX(ERROR_KERNEL_FLV_TRUNCATED, 2110, "FLV input ends inside a tag")              \
    XX(ERROR_KERNEL_FLV_TAG, 2111, "FLV tag is invalid")                             \
    XX(ERROR_OpenSslCipher, 2112, "OpenSSL cipher failed")                           \
    XX(ERROR_HLS_METADATA, 3000, "HLS metadata is invalid")                          \
    XX(ERROR_HLS_DECODE_ERROR, 3001, "HLS decode failed")                            \
    XX(ERROR_HLS_WRITE_FAILED, 3002, "HLS write failed")                             \
    XX(ERROR_HLS_NO_STREAM, 3003, "HLS has no stream")                               \
    XX(ERROR_SOURCE_NOT_FOUND, 3004, "Source not found")                             \
    XX(ERROR_SOURCE_PUBLISHER_EXISTS, 3005, "Source already has a publisher")        \
    XX(ERROR_CONSUMER_QUEUE_OVERFLOW, 3006, "Consumer queue overflow")               \
    XX(ERROR_EDGE_PORT_INVALID, 3007, "Edge port is invalid")                        \
    XX(ERROR_EDGE_VHOST_REMOVED, 3008, "Edge vhost is removed")                      \
    XX(ERROR_HTTP_HOOK_INVALID_RESPONSE, 3009, "HTTP hook response is invalid")      \
    XX(ERROR_HTTP_HOOK_REJECTED, 3010, "HTTP hook rejected the request")             \
    XX(ERROR_DVR_CANNOT_APPEND, 3011, "DVR cannot append")                           \
    XX(ERROR_DVR_ILLEGAL_PLAN, 3012, "DVR plan is invalid")                          \
    XX(ERROR_FORWARD_FAILED, 3013, "Forward failed")                                 \
    XX(ERROR_ENCODER_FORK, 3014, "Fork ffmpeg failed")                               \
    XX(ERROR_ENCODER_LOOP, 3015, "ffmpeg loop detected")                             \
    XX(ERROR_RELOAD_FAILED, 3016, "Reload failed")                                   \
    XX(ERROR_RELOAD_PID_CHANGED, 3017, "Reload cannot change the pid file")          \
    XX(ERROR_STREAM_KICKED, 3018, "Client is kicked")                                \
    XX(ERROR_SERVER_QUIT, 3019, "Server is quitting")                                \
    XX(ERROR_PUBLISH_TIMEOUT, 3020, "Publisher sent no media in time")               \
    XX(ERROR_PLAY_TIMEOUT, 3021, "Player receives no media in time")                 \
    XX(ERROR_SOURCE_NOT_PUBLISHING, 3022, "Source has no publisher")                 \
    XX(ERROR_SECURITY_DENIED, 3023, "Client IP is denied by security")               \
    XX(ERROR_REFER_DENIED, 3024, "Client page URL is denied by refer")               \
    XX(ERROR_DVR_DISABLED, 3025, "DVR is disabled for the vhost")                    \
    XX(ERROR_BENCH_OPTIONS, 3900, "Load tool option is invalid")                     \
    XX(ERROR_BENCH_NOT_LOOPBACK, 3901, "Load tool target is not a loopback address") \
    XX(ERROR_BENCH_STREAM_ENDED, 3902, "Stream ended during the load run")           \
    XX(ERROR_BENCH_NO_MEDIA, 3903, "No media received in time")                      \
    XX(ERROR_BENCH_PLAYLIST, 3904, "HLS playlist is invalid")                        \
    XX(ERROR_HTTP_PATTERN_EMPTY, 4000, "HTTP pattern is empty")                      \
    XX(ERROR_HTTP_PATTERN_DUPLICATED, 4001, "HTTP pattern is duplicated")            \
    XX(ERROR_HTTP_URL_NOT_CLEAN, 4002, "HTTP url is not clean")                      \
    XX(ERROR_HTTP_CONTENT_LENGTH, 4003, "HTTP content length is invalid")            \
    XX(ERROR_HTTP_LIVE_STREAM_EXT, 4004, "HTTP live stream extension is invalid")    \
    XX(ERROR_HTTP_STATUS_INVALID, 4005, "HTTP status is invalid")                    \
    XX(ERROR_HTTP_PARSE_URI, 4006, "HTTP parse uri failed")                          \
    XX(ERROR_HTTP_DATA_INVALID, 4007, "HTTP data is invalid")                        \
    XX(ERROR_HTTP_PARSE_HEADER, 4008, "HTTP parse header failed")                    \
    XX(ERROR_HTTP_HEADER_TOO_LARGE, 4009, "HTTP header is too large")                \
    XX(ERROR_HTTP_BODY_TOO_LARGE, 4010, "HTTP body is too large")                    \
    XX(ERROR_HTTP_REQUEST_EOF, 4011, "HTTP request ended")                           \
    XX(ERROR_HTTP_RESPONSE_CODE, 4012, "HTTP response code is not expected")         \
    XX(ERROR_HTTP_JSON_REQUIRED, 4013, "HTTP body must be JSON")                     \
    XX(ERROR_HTTP_AUTH, 4014, "HTTP authentication failed")                          \
    XX(ERROR_HTTP_NOT_FOUND, 4015, "HTTP resource not found")                        \
    XX(ERROR_HTTP_METHOD_NOT_ALLOWED, 4016, "HTTP method is not allowed")            \
    XX(ERROR_HTTP_FORBIDDEN, 4017, "HTTP access is forbidden")                       \
    XX(ERROR_HTTP_REDIRECT_LIMIT, 4018, "HTTP redirects exceed the limit")           \
    XX(ERROR_HTTP_SCHEMA_UNSUPPORTED, 4019, "HTTP url schema is not supported")      \
    XX(ERROR_HTTP_WRITE_OVERFLOW, 4020, "HTTP body exceeds its content length")      \
    XX(ERROR_HTTP_RESPONSE_INCOMPLETE, 4021, "HTTP body is shorter than declared")   \
    XX(ERROR_HTTP_BODY_DETACHED, 4022, "HTTP body is no longer readable")            \
    XX(ERROR_HTTP_VERSION_UNSUPPORTED, 4023, "HTTP version is not supported")

enum SrsErrorCode {
#define SRS_ERROR_CODE_ENUM(name, code, desc) name = code,
    SRS_ERROR_CODES(SRS_ERROR_CODE_ENUM)
#undef SRS_ERROR_CODE_ENUM
};

// The name of a code, for example "ERROR_SOCKET_TIMEOUT"; "Unknown" when absent.
const char* srs_error_code_name(int code);
// The description of a code from the table.
const char* srs_error_code_desc(int code);
