// The Redis client: RESP2 commands and every reply type, replies cut anywhere, and bad input.
#include <srs_protocol_redis.hpp>
#include <srs_utest_mock_io.hpp>

#include <gtest/gtest.h>

TEST(ProtocolRedisTest, EncodeCommand) {
    EXPECT_EQ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n", srs_redis_encode({"SET", "k", ""}));
    EXPECT_EQ("*0\r\n", srs_redis_encode({}));
}

TEST(ProtocolRedisTest, ParseEveryType) {
    SrsRedisReply r;
    size_t n = 0;
    ASSERT_TRUE(srs_redis_parse("+OK\r\n", &n, &r) == srs_success);
    EXPECT_EQ(5u, n);
    EXPECT_EQ(SrsRedisReply::Status, r.type);
    EXPECT_EQ("OK", r.str);
    ASSERT_TRUE(srs_redis_parse("-ERR wrong\r\n", &n, &r) == srs_success);
    EXPECT_EQ(SrsRedisReply::Error, r.type);
    EXPECT_EQ("ERR wrong", r.str);
    ASSERT_TRUE(srs_redis_parse(":-42\r\n", &n, &r) == srs_success);
    EXPECT_EQ(SrsRedisReply::Integer, r.type);
    EXPECT_EQ(-42, r.integer);
    ASSERT_TRUE(srs_redis_parse("$5\r\na\r\nbc\r\n", &n, &r) == srs_success);
    EXPECT_EQ(SrsRedisReply::Bulk, r.type);
    EXPECT_EQ("a\r\nbc", r.str);
    EXPECT_EQ(11u, n);
    ASSERT_TRUE(srs_redis_parse("$-1\r\n", &n, &r) == srs_success);
    EXPECT_EQ(SrsRedisReply::Nil, r.type);
    ASSERT_TRUE(srs_redis_parse("*2\r\n$1\r\nx\r\n*1\r\n:7\r\n+rest", &n, &r) == srs_success);
    EXPECT_EQ(SrsRedisReply::Array, r.type);
    ASSERT_EQ(2u, r.elements.size());
    EXPECT_EQ("x", r.elements[0].str);
    EXPECT_EQ(7, r.elements[1].elements[0].integer);
    EXPECT_EQ(strlen("*2\r\n$1\r\nx\r\n*1\r\n:7\r\n"), n);
}

TEST(ProtocolRedisTest, IncompleteAtEveryCut) {
    std::string full = "*2\r\n$3\r\nabc\r\n:1\r\n";
    for (size_t i = 0; i < full.size(); i++) {
        SrsRedisReply r;
        size_t n = 1;
        srs_error_t err = srs_redis_parse(full.substr(0, i), &n, &r);
        ASSERT_TRUE(err == srs_success) << i;
        EXPECT_EQ(0u, n) << i;
    }
}

TEST(ProtocolRedisTest, BadReplies) {
    const char* bad[] = {
        "?x\r\n",          ":\r\n",   ":12a\r\n",  "$-2\r\n",
        "$3\r\nabcd\r\n",  "*-5\r\n", "*2000\r\n", "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n",
        "$99999999999\r\n"};
    for (const char* b : bad) {
        SrsRedisReply r;
        size_t n = 0;
        srs_error_t err = srs_redis_parse(b, &n, &r);
        EXPECT_EQ(ERROR_SYSTEM_PACKET_INVALID, srs_error_code(err)) << b;
        srs_error_reset(err);
    }
    SrsRedisReply r;
    size_t n = 0;
    srs_error_t err = srs_redis_parse("+" + std::string(70 * 1024, 'a'), &n, &r);
    EXPECT_EQ(ERROR_SYSTEM_PACKET_INVALID, srs_error_code(err));
    srs_error_reset(err);
}

TEST(ProtocolRedisTest, ClientReadsRepliesInPieces) {
    SrsMockIo io("+OK\r\n$5\r\nhello\r\n-ERR no\r\n");
    io.set_read_limit(3);
    SrsRedisClient c(&io);
    SrsRedisReply r;
    ASSERT_TRUE(c.command({"SET", "k", "hello", "EX", "30"}, &r) == srs_success);
    EXPECT_EQ(SrsRedisReply::Status, r.type);
    ASSERT_TRUE(c.command({"GET", "k"}, &r) == srs_success);
    EXPECT_EQ("hello", r.str);
    ASSERT_TRUE(c.command({"DEL", "k"}, &r) == srs_success);
    EXPECT_EQ(SrsRedisReply::Error, r.type);
    EXPECT_EQ(srs_redis_encode({"SET", "k", "hello", "EX", "30"}) + srs_redis_encode({"GET", "k"}) +
                  srs_redis_encode({"DEL", "k"}),
              io.output());
    // The connection ends before a reply: a failure, not a hang.
    srs_error_t err = c.command({"GET", "k"}, &r);
    EXPECT_TRUE(err != srs_success);
    srs_error_reset(err);
}
