#include <gtest/gtest.h>

#include <srs_protocol_amf0.hpp>
#include <srs_protocol_amf3.hpp>
#include <srs_utest_protocol_helper.hpp>

namespace {

srs_error_t decode3(const std::string& bytes, std::unique_ptr<SrsAmf0Any>* out, int* consumed = nullptr) {
    std::string copy = bytes;
    SrsBuffer buf(copy.empty() ? nullptr : &copy[0], (int)copy.size());
    srs_error_t err = srs_amf3_read_any(&buf, out);
    if (consumed) {
        *consumed = buf.pos();
    }
    return err;
}

std::unique_ptr<SrsAmf0Any> ok3(const std::string& bytes) {
    std::unique_ptr<SrsAmf0Any> v;
    int consumed = 0;
    srs_error_t err = decode3(bytes, &v, &consumed);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ((int)bytes.size(), consumed);
    if (err != srs_success) {
        return SrsAmf0Any::undefined();
    }
    return v;
}

void expect_all_prefixes_fail(const std::string& bytes) {
    for (size_t n = 0; n < bytes.size(); n++) {
        std::unique_ptr<SrsAmf0Any> v;
        srs_error_t err = decode3(bytes.substr(0, n), &v);
        EXPECT_TRUE(err != srs_success) << "prefix " << n << " of " << bytes.size();
    }
}

std::string u29(uint32_t v) {
    char b[4];
    SrsBuffer buf(b, 4);
    srs_error_t err = srs_amf3_write_u29(&buf, v);
    if (err != srs_success) {
        return "";
    }
    return std::string(b, buf.pos());
}

}  // namespace

TEST(ProtocolAmf3Test, U29EdgeValues) {
    struct {
        uint32_t v;
        const char* hex;
    } cases[] = {
        {0, "00"},
        {0x7F, "7F"},
        {0x80, "81 00"},
        {0x3FFF, "FF 7F"},
        {0x4000, "81 80 00"},
        {0x1FFFFF, "FF FF 7F"},
        {0x200000, "80 C0 80 00"},
        {0x1FFFFFFF, "FF FF FF FF"},
    };
    for (const auto& c : cases) {
        std::string bytes = srs_utest_hex(c.hex);
        EXPECT_EQ(bytes, u29(c.v)) << c.v;
        EXPECT_EQ((int)bytes.size(), srs_amf3_u29_size(c.v));
        std::string copy = bytes;
        SrsBuffer buf(&copy[0], (int)copy.size());
        uint32_t v = 0;
        SRS_EXPECT_OK(srs_amf3_read_u29(&buf, &v));
        EXPECT_EQ(c.v, v);
        EXPECT_TRUE(buf.empty());
        // Every prefix of a multi-byte U29 fails.
        for (size_t n = 0; n < bytes.size(); n++) {
            std::string p = bytes.substr(0, n);
            SrsBuffer pb(p.empty() ? nullptr : &p[0], (int)n);
            SRS_EXPECT_FAIL(srs_amf3_read_u29(&pb, &v));
        }
    }
    char b[4];
    SrsBuffer buf(b, 4);
    SRS_EXPECT_FAIL(srs_amf3_write_u29(&buf, 0x20000000));
}

TEST(ProtocolAmf3Test, Scalars) {
    EXPECT_TRUE(ok3(srs_utest_hex("00"))->is_undefined());
    EXPECT_TRUE(ok3(srs_utest_hex("01"))->is_null());
    EXPECT_FALSE(ok3(srs_utest_hex("02"))->to_boolean());
    EXPECT_TRUE(ok3(srs_utest_hex("03"))->to_boolean());
    EXPECT_EQ(5, ok3(srs_utest_hex("04 05"))->to_number());
    EXPECT_EQ(0x0FFFFFFF, ok3(srs_utest_hex("04 BF FF FF FF"))->to_number());
    // Integers are signed 29-bit.
    EXPECT_EQ(-1, ok3(srs_utest_hex("04 FF FF FF FF"))->to_number());
    EXPECT_EQ(-268435456, ok3(srs_utest_hex("04 C0 80 80 00"))->to_number());
    EXPECT_EQ(1.5, ok3(srs_utest_hex("05 3FF8000000000000"))->to_number());
    EXPECT_EQ("abc", ok3(srs_utest_hex("06 07 'a'b'c"))->to_str());
    EXPECT_EQ("", ok3(srs_utest_hex("06 01"))->to_str());
    expect_all_prefixes_fail(srs_utest_hex("05 3FF8000000000000"));
    expect_all_prefixes_fail(srs_utest_hex("06 07 'a'b'c"));
    expect_all_prefixes_fail(srs_utest_hex("04 FF FF FF FF"));
}

TEST(ProtocolAmf3Test, StringReferences) {
    // ["ab", ref 0] as a dense array.
    auto v = ok3(srs_utest_hex("09 05 01 06 05 'a'b 06 00"));
    ASSERT_TRUE(v->is_strict_array());
    ASSERT_EQ(2, v->to_strict_array()->count());
    EXPECT_EQ("ab", v->to_strict_array()->at(1)->to_str());
    // The empty string is not put in the table: ["", "x", ref 0 = "x"].
    auto w = ok3(srs_utest_hex("09 07 01 06 01 06 03 'x 06 00"));
    ASSERT_EQ(3, w->to_strict_array()->count());
    EXPECT_EQ("x", w->to_strict_array()->at(2)->to_str());
    // A reference past the table fails.
    std::unique_ptr<SrsAmf0Any> bad;
    EXPECT_EQ(ERROR_RTMP_AMF3_DECODE, srs_error_code(decode3(srs_utest_hex("06 02"), &bad)));
}

TEST(ProtocolAmf3Test, ObjectsAndTraitsReferences) {
    // [{a:1}, {a:2}] where the second object refers to the first one's traits.
    std::string bytes = srs_utest_hex("09 05 01  0A 13 01 03 'a 04 01  0A 01 04 02");
    auto v = ok3(bytes);
    ASSERT_TRUE(v->is_strict_array());
    SrsAmf0StrictArray* a = v->to_strict_array();
    ASSERT_EQ(2, a->count());
    EXPECT_EQ(1, a->at(0)->to_object()->get_number("a"));
    EXPECT_EQ(2, a->at(1)->to_object()->get_number("a"));
    expect_all_prefixes_fail(bytes);

    // A traits reference past the table fails.
    std::unique_ptr<SrsAmf0Any> bad;
    EXPECT_EQ(ERROR_RTMP_AMF3_DECODE, srs_error_code(decode3(srs_utest_hex("0A 05"), &bad)));
}

TEST(ProtocolAmf3Test, DynamicObjectAndObjectReference) {
    // [{a:5} dynamic, ref 1]: table index 0 is the array itself, 1 the object.
    auto v = ok3(srs_utest_hex("09 05 01  0A 0B 01 03 'a 04 05 01  0A 02"));
    SrsAmf0StrictArray* a = v->to_strict_array();
    ASSERT_EQ(2, a->count());
    EXPECT_EQ(5, a->at(0)->to_object()->get_number("a"));
    ASSERT_TRUE(a->at(1)->is_object());
    EXPECT_EQ(5, a->at(1)->to_object()->get_number("a"));
    // The reference is a copy, not an alias.
    EXPECT_NE(a->at(0), a->at(1));
}

TEST(ProtocolAmf3Test, SealedAndDynamicTypedObject) {
    // class "Foo", sealed member "s", dynamic; s=true, d="x".
    auto v = ok3(srs_utest_hex("0A 1B 07 'F'o'o 03 's 03  03 'd 06 03 'x 01"));
    ASSERT_TRUE(v->is_object());
    EXPECT_EQ(SrsAmf0MarkerTypedObject, v->marker());
    EXPECT_EQ("Foo", v->to_object()->class_name());
    EXPECT_TRUE(v->to_object()->get_property("s")->to_boolean());
    EXPECT_EQ("x", v->to_object()->get_string("d"));
    // Typed objects encode as AMF0 typed objects.
    std::string amf0 = srs_utest_amf0_encode(v.get());
    EXPECT_EQ(SrsAmf0MarkerTypedObject, (uint8_t)amf0[0]);
}

TEST(ProtocolAmf3Test, CycleDecodesAsNull) {
    // {self: ref 0}: the object refers to itself while being decoded.
    auto v = ok3(srs_utest_hex("0A 0B 01 09 's'e'l'f 0A 00 01"));
    ASSERT_TRUE(v->is_object());
    EXPECT_TRUE(v->to_object()->get_property("self")->is_null());
}

TEST(ProtocolAmf3Test, ExternalizableFails) {
    std::unique_ptr<SrsAmf0Any> v;
    std::string bytes =
        srs_utest_hex("0A 07 43 'f'l'e'x'.'m'e's's'a'g'i'n'g'.'i'o'.'A'r'r'a'y'C'o'l'l'e'c't'i'o'n 09 01 01");
    EXPECT_EQ(ERROR_RTMP_AMF3_DECODE, srs_error_code(decode3(bytes, &v)));
}

TEST(ProtocolAmf3Test, AssociativeArray) {
    // One dense item 8 and key k=7.
    auto v = ok3(srs_utest_hex("09 03 03 'k 04 07 01 04 08"));
    ASSERT_TRUE(v->is_ecma_array());
    SrsAmf0EcmaArray* a = v->to_ecma_array();
    EXPECT_EQ(7, a->get_number("k"));
    EXPECT_EQ(8, a->get_number("0"));
    expect_all_prefixes_fail(srs_utest_hex("09 03 03 'k 04 07 01 04 08"));
    // An empty array.
    EXPECT_EQ(0, ok3(srs_utest_hex("09 01 01"))->to_strict_array()->count());
    // A dense count beyond the bytes fails.
    std::unique_ptr<SrsAmf0Any> bad;
    SRS_EXPECT_FAIL(decode3(srs_utest_hex("09 FF FF FF 7F 01"), &bad));
}

TEST(ProtocolAmf3Test, DateXmlByteArray) {
    auto d = ok3(srs_utest_hex("08 01 4276F5E66E800000"));
    ASSERT_TRUE(d->is_date());
    EXPECT_EQ(1577836800000.0, d->to_date());
    auto x = ok3(srs_utest_hex("0B 07 '<'a'>"));
    EXPECT_TRUE(x->is_xml());
    EXPECT_EQ("<a>", x->to_str());
    auto xd = ok3(srs_utest_hex("07 07 '<'b'>"));
    EXPECT_EQ("<b>", xd->to_str());
    auto b = ok3(srs_utest_hex("0C 07 01 02 00"));
    EXPECT_EQ(std::string("\x01\x02\x00", 3), b->to_str());
    // References to them through the object table: [date, ref 1].
    auto arr = ok3(srs_utest_hex("09 05 01 08 01 4276F5E66E800000 08 02"));
    EXPECT_EQ(1577836800000.0, arr->to_strict_array()->at(1)->to_date());
    expect_all_prefixes_fail(srs_utest_hex("08 01 4276F5E66E800000"));
    expect_all_prefixes_fail(srs_utest_hex("0C 07 01 02 00"));
}

TEST(ProtocolAmf3Test, VectorsAndDictionary) {
    auto vi = ok3(srs_utest_hex("0D 05 00 FFFFFFFF 00000002"));
    ASSERT_EQ(2, vi->to_strict_array()->count());
    EXPECT_EQ(-1, vi->to_strict_array()->at(0)->to_number());
    auto vu = ok3(srs_utest_hex("0E 03 01 FFFFFFFF"));
    EXPECT_EQ(4294967295.0, vu->to_strict_array()->at(0)->to_number());
    auto vd = ok3(srs_utest_hex("0F 03 00 3FF8000000000000"));
    EXPECT_EQ(1.5, vd->to_strict_array()->at(0)->to_number());
    auto vo = ok3(srs_utest_hex("10 03 00 01 06 03 'z"));
    EXPECT_EQ("z", vo->to_strict_array()->at(0)->to_str());
    auto dict = ok3(srs_utest_hex("11 05 00 06 03 'k 04 01 04 02 03"));
    ASSERT_TRUE(dict->is_ecma_array());
    EXPECT_EQ(1, dict->to_ecma_array()->get_number("k"));
    EXPECT_TRUE(dict->to_ecma_array()->get_property("2")->to_boolean());
    expect_all_prefixes_fail(srs_utest_hex("0D 05 00 FFFFFFFF 00000002"));
    expect_all_prefixes_fail(srs_utest_hex("11 05 00 06 03 'k 04 01 04 02 03"));
    std::unique_ptr<SrsAmf0Any> bad;
    SRS_EXPECT_FAIL(decode3(srs_utest_hex("0D FF FF FF 7F 00 00"), &bad));
}

TEST(ProtocolAmf3Test, ReferenceToDictionaryKey) {
    // [dict {[]: 1}, ref 2]: the key array is in the object table though not in the tree.
    auto v = ok3(srs_utest_hex("09 05 01  11 03 00 09 01 01 04 01  09 04"));
    ASSERT_TRUE(v->is_strict_array());
    ASSERT_EQ(2, v->to_strict_array()->count());
    EXPECT_TRUE(v->to_strict_array()->at(1)->is_strict_array());
}

TEST(ProtocolAmf3Test, InvalidMarker) {
    std::unique_ptr<SrsAmf0Any> v;
    EXPECT_EQ(ERROR_RTMP_AMF3_DECODE, srs_error_code(decode3(srs_utest_hex("12"), &v)));
    EXPECT_EQ(ERROR_RTMP_AMF3_DECODE, srs_error_code(decode3(srs_utest_hex("FF"), &v)));
    EXPECT_EQ(ERROR_RTMP_AMF3_DECODE, srs_error_code(decode3("", &v)));
}

TEST(ProtocolAmf3Test, DepthLimit) {
    auto nested = [](int depth) {
        std::string s;
        for (int i = 0; i < depth; i++) {
            s += srs_utest_hex("09 03 01");
        }
        return s + srs_utest_hex("01");
    };
    std::unique_ptr<SrsAmf0Any> v;
    SRS_EXPECT_OK(decode3(nested(SRS_AMF0_MAX_DEPTH), &v));
    EXPECT_EQ(ERROR_RTMP_AMF0_DEPTH, srs_error_code(decode3(nested(SRS_AMF0_MAX_DEPTH + 1), &v)));
    EXPECT_EQ(ERROR_RTMP_AMF0_DEPTH, srs_error_code(decode3(nested(5000), &v)));
}

TEST(ProtocolAmf3Test, ReferenceDepthIsBounded) {
    // A 20-deep array, then an array of depth 20 referring to it: the copy would nest 40.
    std::string s = srs_utest_hex("09 05 01");
    std::string deep;
    for (int i = 0; i < 20; i++) {
        deep += srs_utest_hex("09 03 01");
    }
    deep += srs_utest_hex("01");
    s += deep;
    std::string second;
    for (int i = 0; i < 20; i++) {
        second += srs_utest_hex("09 03 01");
    }
    // Object table: 0 outer, 1..20 the deep arrays, 21.. the second chain. Ref index 1.
    second += srs_utest_hex("09 02");
    s += second;
    std::unique_ptr<SrsAmf0Any> v;
    EXPECT_EQ(ERROR_RTMP_AMF0_DEPTH, srs_error_code(decode3(s, &v)));
}

TEST(ProtocolAmf3Test, ReferenceAmplificationIsBounded) {
    // A 60000-byte string, then 300 references to it: 18 MB from 60 KB of input.
    std::string s = srs_utest_hex("09") + u29((301 << 1) | 1) + srs_utest_hex("01 06") + u29((60000 << 1) | 1);
    s += std::string(60000, 'x');
    for (int i = 0; i < 300; i++) {
        s += srs_utest_hex("06 00");
    }
    std::unique_ptr<SrsAmf0Any> v;
    EXPECT_EQ(ERROR_RTMP_AMF3_DECODE, srs_error_code(decode3(s, &v)));

    // Nested object references doubling at each level.
    std::string o = srs_utest_hex("09") + u29((41 << 1) | 1) + srs_utest_hex("01");
    o += srs_utest_hex("09 05 01 01 01");  // index 1: [null, null]
    for (int i = 0; i < 40; i++) {
        // index i+2: [ref i+1, ref i+1]
        std::string ref = srs_utest_hex("09") + u29((uint32_t)(i + 1) << 1);
        o += srs_utest_hex("09 05 01") + ref + ref;
    }
    EXPECT_NE(ERROR_SUCCESS, srs_error_code(decode3(o, &v)));
}

TEST(ProtocolAmf3Test, InAmf0AvmPlusObject) {
    // AMF0 strict array of [AMF0 number, avmplus {a:1}].
    std::string bytes = srs_utest_hex("0A 00000002 00 3FF0000000000000 11 0A 0B 01 03 'a 04 01 01");
    std::unique_ptr<SrsAmf0Any> v;
    int consumed = 0;
    SRS_EXPECT_OK(srs_utest_amf0_decode(bytes, &v, &consumed));
    EXPECT_EQ((int)bytes.size(), consumed);
    ASSERT_TRUE(v && v->is_strict_array());
    EXPECT_EQ(1, v->to_strict_array()->at(1)->to_object()->get_number("a"));
}
