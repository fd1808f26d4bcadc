#include <gtest/gtest.h>

#include <srs_protocol_amf0.hpp>
#include <srs_utest_protocol_helper.hpp>

#include <cmath>

namespace {

// Every proper prefix of a value's encoding must fail to decode, without crashing.
void expect_all_prefixes_fail(const std::string& bytes) {
    for (size_t n = 0; n < bytes.size(); n++) {
        std::unique_ptr<SrsAmf0Any> v;
        srs_error_t err = srs_utest_amf0_decode(bytes.substr(0, n), &v);
        SRS_EXPECT_FAIL(err) << "prefix " << n << " of " << bytes.size();
    }
}

// Decodes, checks the whole input was used, encodes again and compares the bytes.
std::unique_ptr<SrsAmf0Any> round_trip(const std::string& bytes) {
    std::unique_ptr<SrsAmf0Any> v;
    int consumed = 0;
    srs_error_t err = srs_utest_amf0_decode(bytes, &v, &consumed);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    if (err != srs_success) {
        return nullptr;
    }
    EXPECT_EQ((int)bytes.size(), consumed);
    EXPECT_EQ((int)bytes.size(), v->total_size());
    EXPECT_EQ(bytes, srs_utest_amf0_encode(v.get()));
    // A copy encodes the same.
    EXPECT_EQ(bytes, srs_utest_amf0_encode(v->copy().get()));
    return v;
}

}  // namespace

TEST(ProtocolAmf0Test, Number) {
    std::string bytes = srs_utest_hex("00 3FF0000000000000");
    auto v = round_trip(bytes);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->is_number());
    EXPECT_EQ(1.0, v->to_number());
    EXPECT_EQ(bytes, srs_utest_amf0_encode(SrsAmf0Any::number(1).get()));
    expect_all_prefixes_fail(bytes);

    auto neg = round_trip(srs_utest_amf0_encode(SrsAmf0Any::number(-1234.5).get()));
    EXPECT_EQ(-1234.5, neg->to_number());
    auto nan = round_trip(srs_utest_amf0_encode(SrsAmf0Any::number(NAN).get()));
    EXPECT_TRUE(std::isnan(nan->to_number()));
}

TEST(ProtocolAmf0Test, Boolean) {
    auto t = round_trip(srs_utest_hex("01 01"));
    EXPECT_TRUE(t->is_boolean());
    EXPECT_TRUE(t->to_boolean());
    auto f = round_trip(srs_utest_hex("01 00"));
    EXPECT_FALSE(f->to_boolean());
    // Any non-zero byte is true.
    std::unique_ptr<SrsAmf0Any> v;
    SRS_EXPECT_OK(srs_utest_amf0_decode(srs_utest_hex("01 7f"), &v));
    EXPECT_TRUE(v->to_boolean());
    expect_all_prefixes_fail(srs_utest_hex("01 01"));
}

TEST(ProtocolAmf0Test, String) {
    std::string bytes = srs_utest_hex("02 0005 'h'e'l'l'o");
    auto v = round_trip(bytes);
    EXPECT_TRUE(v->is_string());
    EXPECT_EQ("hello", v->to_str());
    EXPECT_EQ(bytes, srs_utest_amf0_encode(SrsAmf0Any::str("hello").get()));
    expect_all_prefixes_fail(bytes);
    auto empty = round_trip(srs_utest_hex("02 0000"));
    EXPECT_EQ("", empty->to_str());
}

TEST(ProtocolAmf0Test, LongString) {
    std::string big(70000, 'x');
    std::string bytes = srs_utest_amf0_encode(SrsAmf0Any::str(big).get());
    ASSERT_EQ(1 + 4 + 70000, (int)bytes.size());
    EXPECT_EQ(SrsAmf0MarkerLongString, (uint8_t)bytes[0]);
    auto v = round_trip(bytes);
    EXPECT_EQ(big, v->to_str());
    // A short long-string stays a long string.
    std::string small = srs_utest_hex("0C 00000002 'h'i");
    auto s = round_trip(small);
    EXPECT_EQ("hi", s->to_str());
    expect_all_prefixes_fail(small);
    // A length beyond the bytes fails.
    std::unique_ptr<SrsAmf0Any> bad;
    EXPECT_EQ(ERROR_RTMP_AMF0_DECODE, srs_error_code(srs_utest_amf0_decode(srs_utest_hex("0C FFFFFFFF 'h'i"), &bad)));
}

TEST(ProtocolAmf0Test, NullUndefinedUnsupported) {
    EXPECT_TRUE(round_trip(srs_utest_hex("05"))->is_null());
    EXPECT_TRUE(round_trip(srs_utest_hex("06"))->is_undefined());
    EXPECT_EQ(SrsAmf0MarkerUnsupported, round_trip(srs_utest_hex("0D"))->marker());
    EXPECT_TRUE(round_trip(srs_utest_hex("09"))->is_object_end());
    expect_all_prefixes_fail(srs_utest_hex("05"));
}

TEST(ProtocolAmf0Test, Reference) {
    std::string bytes = srs_utest_hex("07 0005");
    auto v = round_trip(bytes);
    EXPECT_TRUE(v->is_reference());
    EXPECT_EQ(5, v->to_reference());
    expect_all_prefixes_fail(bytes);
}

TEST(ProtocolAmf0Test, Date) {
    std::string bytes = srs_utest_hex("0B 4276F5E66E800000 FF88");
    auto v = round_trip(bytes);
    ASSERT_TRUE(v->is_date());
    EXPECT_EQ(1577836800000.0, v->to_date());
    EXPECT_EQ(-120, v->to_date_timezone());
    expect_all_prefixes_fail(bytes);
    EXPECT_EQ(bytes, srs_utest_amf0_encode(SrsAmf0Any::date(1577836800000.0, -120).get()));
}

TEST(ProtocolAmf0Test, XmlDocument) {
    std::string bytes = srs_utest_hex("0F 00000003 '<'a'>");
    auto v = round_trip(bytes);
    EXPECT_TRUE(v->is_xml());
    EXPECT_TRUE(v->is_string());
    EXPECT_EQ("<a>", v->to_str());
    expect_all_prefixes_fail(bytes);
}

TEST(ProtocolAmf0Test, Object) {
    std::string bytes = srs_utest_hex("03 0001 'a 00 3FF0000000000000 0001 'b 02 0001 'x 000009");
    auto v = round_trip(bytes);
    ASSERT_TRUE(v->is_object());
    SrsAmf0Object* o = v->to_object();
    ASSERT_EQ(2, o->count());
    EXPECT_EQ("a", o->key_at(0));
    EXPECT_EQ(1, o->get_property("a")->to_number());
    EXPECT_EQ("x", o->ensure_property_string("b")->to_str());
    EXPECT_EQ(nullptr, o->ensure_property_string("a"));
    EXPECT_EQ(nullptr, o->ensure_property_number("b"));
    EXPECT_EQ(nullptr, o->get_property("c"));
    expect_all_prefixes_fail(bytes);

    auto built = SrsAmf0Any::object();
    built->set("a", SrsAmf0Any::number(1));
    built->set("b", SrsAmf0Any::str("x"));
    EXPECT_EQ(bytes, srs_utest_amf0_encode(built.get()));
    EXPECT_EQ(round_trip(srs_utest_hex("03 000009"))->to_object()->count(), 0);
}

TEST(ProtocolAmf0Test, ObjectSetReplacesAndKeepsOrder) {
    auto o = SrsAmf0Any::object();
    o->set("k1", SrsAmf0Any::number(1));
    o->set("k2", SrsAmf0Any::number(2));
    o->set("k1", SrsAmf0Any::str("one"));
    ASSERT_EQ(2, o->count());
    EXPECT_EQ("k1", o->key_at(0));
    EXPECT_EQ("one", o->get_string("k1"));
    EXPECT_EQ(2, o->get_number("k2"));
    EXPECT_EQ(7, o->get_number("none", 7));
    EXPECT_TRUE(o->remove("k1"));
    EXPECT_FALSE(o->remove("k1"));
    EXPECT_EQ(1, o->count());
    // The last of duplicate keys wins on lookup (decoders append).
    o->append("k2", SrsAmf0Any::number(3));
    EXPECT_EQ(3, o->get_number("k2"));
}

TEST(ProtocolAmf0Test, ObjectWithoutEndFails) {
    std::unique_ptr<SrsAmf0Any> v;
    SRS_EXPECT_FAIL(srs_utest_amf0_decode(srs_utest_hex("03 0001 'a 05"), &v));
    // An empty name followed by a value that is not object-end is a property named "".
    SRS_EXPECT_OK(srs_utest_amf0_decode(srs_utest_hex("03 0000 05 000009"), &v));
    EXPECT_TRUE(v->to_object()->get_property("")->is_null());
}

TEST(ProtocolAmf0Test, TypedObject) {
    std::string bytes = srs_utest_hex("10 0003 'F'o'o 0001 'a 01 01 000009");
    auto v = round_trip(bytes);
    ASSERT_TRUE(v->is_object());
    EXPECT_EQ(SrsAmf0MarkerTypedObject, v->marker());
    EXPECT_EQ("Foo", v->to_object()->class_name());
    EXPECT_TRUE(v->to_object()->get_property("a")->to_boolean());
    expect_all_prefixes_fail(bytes);
}

TEST(ProtocolAmf0Test, EcmaArray) {
    std::string bytes = srs_utest_hex("08 00000002 0001 'a 05 0001 'b 06 000009");
    auto v = round_trip(bytes);
    ASSERT_TRUE(v->is_ecma_array());
    EXPECT_EQ(2, v->to_ecma_array()->count());
    EXPECT_TRUE(v->to_properties()->get_property("b")->is_undefined());
    // The count is a hint only.
    std::unique_ptr<SrsAmf0Any> w;
    SRS_EXPECT_OK(srs_utest_amf0_decode(srs_utest_hex("08 00000009 0001 'a 05 000009"), &w));
    EXPECT_EQ(1, w->to_ecma_array()->count());
    // Truncated inside a property fails; a message that ends between properties is accepted.
    SRS_EXPECT_FAIL(srs_utest_amf0_decode(srs_utest_hex("08 00000002 0001 'a"), &w));
    SRS_EXPECT_FAIL(srs_utest_amf0_decode(srs_utest_hex("08 000000"), &w));
    SRS_EXPECT_OK(srs_utest_amf0_decode(srs_utest_hex("08 00000002 0001 'a 05"), &w));
}

TEST(ProtocolAmf0Test, StrictArray) {
    std::string bytes = srs_utest_hex("0A 00000002 00 4000000000000000 02 0001 'z");
    auto v = round_trip(bytes);
    ASSERT_TRUE(v->is_strict_array());
    SrsAmf0StrictArray* a = v->to_strict_array();
    ASSERT_EQ(2, a->count());
    EXPECT_EQ(2, a->at(0)->to_number());
    EXPECT_EQ("z", a->at(1)->to_str());
    expect_all_prefixes_fail(bytes);
    // A count the bytes cannot hold fails at once.
    std::unique_ptr<SrsAmf0Any> w;
    EXPECT_EQ(ERROR_RTMP_AMF0_DECODE, srs_error_code(srs_utest_amf0_decode(srs_utest_hex("0A FFFFFFFF 05"), &w)));
}

TEST(ProtocolAmf0Test, InvalidMarkers) {
    for (uint8_t m : {0x04, 0x0E, 0x12, 0x20, 0xFF}) {
        std::unique_ptr<SrsAmf0Any> v;
        std::string bytes(1, (char)m);
        EXPECT_EQ(ERROR_RTMP_AMF0_INVALID, srs_error_code(srs_utest_amf0_decode(bytes, &v))) << (int)m;
    }
    std::unique_ptr<SrsAmf0Any> v;
    EXPECT_EQ(ERROR_RTMP_AMF0_DECODE, srs_error_code(srs_utest_amf0_decode("", &v)));
}

TEST(ProtocolAmf0Test, DepthLimit) {
    // Nested objects {"a": {"a": ... null}}.
    auto nested = [](int depth) {
        std::string s;
        for (int i = 0; i < depth; i++) {
            s += srs_utest_hex("03 0001 'a");
        }
        s += srs_utest_hex("05");
        for (int i = 0; i < depth; i++) {
            s += srs_utest_hex("000009");
        }
        return s;
    };
    std::unique_ptr<SrsAmf0Any> v;
    SRS_EXPECT_OK(srs_utest_amf0_decode(nested(SRS_AMF0_MAX_DEPTH), &v));
    EXPECT_EQ(ERROR_RTMP_AMF0_DEPTH, srs_error_code(srs_utest_amf0_decode(nested(SRS_AMF0_MAX_DEPTH + 1), &v)));
    EXPECT_EQ(ERROR_RTMP_AMF0_DEPTH, srs_error_code(srs_utest_amf0_decode(nested(10000), &v)));

    // Strict arrays nest too.
    std::string arrays;
    for (int i = 0; i < 100; i++) {
        arrays += srs_utest_hex("0A 00000001");
    }
    arrays += srs_utest_hex("05");
    EXPECT_EQ(ERROR_RTMP_AMF0_DEPTH, srs_error_code(srs_utest_amf0_decode(arrays, &v)));
}

TEST(ProtocolAmf0Test, NestedRoundTripAndCopy) {
    auto o = SrsAmf0Any::object();
    auto arr = SrsAmf0Any::ecma_array();
    arr->set("n", SrsAmf0Any::number(3));
    auto list = SrsAmf0Any::strict_array();
    list->append(SrsAmf0Any::boolean(true));
    list->append(SrsAmf0Any::null());
    arr->set("list", std::move(list));
    o->set("data", std::move(arr));
    o->set("when", SrsAmf0Any::date(1000));
    std::string bytes = srs_utest_amf0_encode(o.get());
    auto v = round_trip(bytes);
    ASSERT_TRUE(v);
    auto copied = o->copy_object();
    o->clear();
    EXPECT_EQ(bytes, srs_utest_amf0_encode(copied.get()));
    EXPECT_EQ(3, copied->get_property("data")->to_properties()->get_number("n"));
}

TEST(ProtocolAmf0Test, Accessors) {
    auto s = SrsAmf0Any::str("a");
    EXPECT_EQ(0, s->to_number());
    EXPECT_FALSE(s->to_boolean());
    EXPECT_EQ(nullptr, s->to_object());
    EXPECT_EQ(nullptr, s->to_properties());
    s->set_number(3);
    s->set_str("b");
    EXPECT_EQ("b", s->to_str());
    auto n = SrsAmf0Any::number(1);
    n->set_number(2);
    EXPECT_EQ(2, n->to_number());
    EXPECT_EQ("", n->to_str());
    auto b = SrsAmf0Any::boolean(false);
    b->set_boolean(true);
    EXPECT_TRUE(b->to_boolean());
}

TEST(ProtocolAmf0Test, Dump) {
    auto o = SrsAmf0Any::object();
    o->set("app", SrsAmf0Any::str("live"));
    o->set("n", SrsAmf0Any::number(1.5));
    auto arr = SrsAmf0Any::strict_array();
    arr->append(SrsAmf0Any::str("a\nb"));
    o->set("list", std::move(arr));
    std::string d = o->dump();
    EXPECT_NE(std::string::npos, d.find("Object (3 items)"));
    EXPECT_NE(std::string::npos, d.find("app: String live"));
    EXPECT_NE(std::string::npos, d.find("n: Number 1.5"));
    EXPECT_NE(std::string::npos, d.find("0: String a\\x0ab"));
}

TEST(ProtocolAmf0Test, TypedReads) {
    std::string bytes = srs_utest_hex("02 0001 'a 00 4000000000000000 01 01 05 03 000009");
    SrsBuffer buf(&bytes[0], (int)bytes.size());
    std::string s;
    double d = 0;
    bool b = false;
    std::unique_ptr<SrsAmf0Object> o;
    SRS_EXPECT_OK(srs_amf0_read_string(&buf, &s));
    SRS_EXPECT_OK(srs_amf0_read_number(&buf, &d));
    SRS_EXPECT_OK(srs_amf0_read_boolean(&buf, &b));
    SRS_EXPECT_OK(srs_amf0_read_null(&buf));
    SRS_EXPECT_OK(srs_amf0_read_object(&buf, &o));
    EXPECT_EQ("a", s);
    EXPECT_EQ(2, d);
    EXPECT_TRUE(b);
    EXPECT_TRUE(buf.empty());

    std::string wrong = srs_utest_hex("05");
    SrsBuffer w(&wrong[0], 1);
    SRS_EXPECT_FAIL(srs_amf0_read_string(&w, &s));
    SrsBuffer w2(&wrong[0], 1);
    SRS_EXPECT_FAIL(srs_amf0_read_number(&w2, &d));
    SrsBuffer w3(&wrong[0], 1);
    SRS_EXPECT_FAIL(srs_amf0_read_object(&w3, &o));
}

TEST(ProtocolAmf0Test, EncodeFailsWithoutSpace) {
    auto o = SrsAmf0Any::object();
    o->set("key", SrsAmf0Any::str("value"));
    char small[8];
    SrsBuffer buf(small, sizeof(small));
    EXPECT_EQ(ERROR_RTMP_AMF0_ENCODE, srs_error_code(o->write(&buf)));
    // A property name over 65535 bytes cannot be encoded.
    auto big = SrsAmf0Any::object();
    big->set(std::string(70000, 'k'), SrsAmf0Any::null());
    std::string out;
    EXPECT_EQ(ERROR_RTMP_AMF0_ENCODE, srs_error_code(srs_amf0_encode({big.get()}, &out)));
}

TEST(ProtocolAmf0Test, AvmPlusSwitch) {
    // 0x11 then an AMF3 string "abc".
    std::unique_ptr<SrsAmf0Any> v;
    SRS_EXPECT_OK(srs_utest_amf0_decode(srs_utest_hex("11 06 07 'a'b'c"), &v));
    EXPECT_EQ("abc", v->to_str());
    SRS_EXPECT_FAIL(srs_utest_amf0_decode(srs_utest_hex("11 06 07 'a"), &v));
}
