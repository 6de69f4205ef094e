"""Over the protocol: a join whose nickname looks like a present player's is refused with the
nickname-taken error (in the tab's language), and a name of invisible characters with the
bad-nickname one; the name is shown as typed."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_look_alike_of_a_present_player_is_refused(make_room, clients):
    code, _ = await make_room()
    alice = await clients(code)
    snapshot = await alice.join("Alice")
    assert [p["nickname"] for p in snapshot["players"]] == ["Alice"]
    for disguise in ("\u0410lice", "AIice", "A\u200blice", "\u0391lice", "ＡＬＩＣＥ"):
        copycat = await clients(code)
        await copycat.send("join", nickname=disguise, lang="en")
        error = await copycat.expect("error")
        assert error["code"] == "nickname_taken", disguise
        assert error["message"] == "Someone in this room already has this nickname."
    japanese = await clients(code)
    await japanese.send("join", nickname="\u0410lice", lang="ja")
    error = await japanese.expect("error")
    assert error["code"] == "nickname_taken"
    assert error["message"] != "Someone in this room already has this nickname."
    assert "ニックネーム" in error["message"]


async def test_an_invisible_name_is_refused_and_a_real_one_shown_as_typed(make_room, clients):
    code, _ = await make_room()
    ghost = await clients(code)
    await ghost.send("join", nickname="\u3164\u2800", lang="en")
    assert (await ghost.expect("error"))["code"] == "bad_nickname"
    await ghost.send("join", nickname="Ｊｏｓé\u200b", lang="en")
    welcome = await ghost.expect("welcome")
    assert welcome["nickname"] == "José"
