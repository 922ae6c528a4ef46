"""The XML WeChat stores in a message's content for media, link cards and quoted replies."""

from __future__ import annotations

import random
from xml.sax.saxutils import escape, quoteattr

from .chat import ChatMessage


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choices("0123456789abcdef", k=n))


def image_xml(rng: random.Random) -> str:
    return (
        '<?xml version="1.0"?>\n<msg>\n'
        f'\t<img aeskey="{_hex(rng, 32)}" encryver="1" cdnthumbaeskey="{_hex(rng, 32)}" '
        f'cdnthumburl="3057020100044b30490201000204{_hex(rng, 24)}" cdnthumblength="{rng.randint(3000, 9000)}" '
        f'cdnthumbheight="{rng.choice((120, 160, 180))}" cdnthumbwidth="{rng.choice((90, 120))}" '
        f'cdnmidheight="0" cdnmidwidth="0" cdnhdheight="0" cdnhdwidth="0" '
        f'cdnmidimgurl="3057020100044b30490201000204{_hex(rng, 24)}" length="{rng.randint(60000, 900000)}" '
        f'md5="{_hex(rng, 32)}" />\n</msg>\n'
    )


def sticker_xml(rng: random.Random, sender: str, chat_id: str) -> str:
    md5 = _hex(rng, 32)
    return (
        f'<msg><emoji fromusername={quoteattr(sender)} tousername={quoteattr(chat_id)} type="2" '
        f'idbuffer="media:0_0" md5="{md5}" len="{rng.randint(8000, 90000)}" productid="" '
        f'androidmd5="{md5}" androidlen="{rng.randint(8000, 90000)}" '
        f'cdnurl="http://wxapp.tc.qq.com/262/20304/stodownload?m={md5}&amp;filekey=30340201010420301e02020106040253480410{_hex(rng, 32)}&amp;hy=SH&amp;storeid={_hex(rng, 40)}&amp;bizid=1023" '
        f'designerid="" thumburl="" encrypturl="" aeskey="{_hex(rng, 32)}" width="240" height="240" '
        'externurl="" externmd5="" tpurl="" tpauthkey="" attachedtext="" attachedtextcolor="" lensid="" '
        'emojiattr="" linkid="" desc="" /></msg>'
    )


def _appmsg(inner: str, sender: str) -> str:
    return (
        '<?xml version="1.0"?>\n<msg>\n\t<appmsg appid="" sdkver="0">\n'
        f"{inner}"
        "\t</appmsg>\n"
        f"\t<fromusername>{escape(sender)}</fromusername>\n"
        "\t<scene>0</scene>\n\t<appinfo>\n\t\t<version>1</version>\n\t\t<appname></appname>\n\t</appinfo>\n"
        "\t<commenturl></commenturl>\n</msg>\n"
    )


def link_xml(m: ChatMessage) -> str:
    card = m.link
    assert card is not None
    inner = (
        f"\t\t<title>{escape(card.title)}</title>\n"
        f"\t\t<des>{escape(card.des)}</des>\n"
        "\t\t<action>view</action>\n\t\t<type>5</type>\n\t\t<showtype>0</showtype>\n"
        "\t\t<content></content>\n"
        f"\t\t<url>{escape(card.url)}</url>\n"
        "\t\t<lowurl></lowurl>\n\t\t<dataurl></dataurl>\n\t\t<lowdataurl></lowdataurl>\n"
        "\t\t<appattach>\n\t\t\t<totallen>0</totallen>\n\t\t\t<attachid></attachid>\n\t\t\t<fileext></fileext>\n\t\t</appattach>\n"
        "\t\t<extinfo></extinfo>\n"
        f"\t\t<sourceusername>{escape(card.gh_id)}</sourceusername>\n"
        f"\t\t<sourcedisplayname>{escape(card.account)}</sourcedisplayname>\n"
        "\t\t<thumburl></thumburl>\n"
        "\t\t<mmreadershare>\n\t\t\t<itemshowtype>0</itemshowtype>\n\t\t</mmreadershare>\n"
    )
    return _appmsg(inner, m.sender.wxid if m.sender else "")


def quote_xml(m: ChatMessage, chat_id: str) -> str:
    q = m.quoted
    assert q is not None and q.sender is not None
    inner = (
        f"\t\t<title>{escape(m.text)}</title>\n"
        "\t\t<des></des>\n\t\t<action></action>\n\t\t<type>57</type>\n\t\t<showtype>0</showtype>\n"
        "\t\t<soundtype>0</soundtype>\n\t\t<mediatagname></mediatagname>\n\t\t<messageext></messageext>\n"
        "\t\t<messageaction></messageaction>\n\t\t<content></content>\n\t\t<contentattr>0</contentattr>\n"
        "\t\t<url></url>\n\t\t<lowurl></lowurl>\n\t\t<dataurl></dataurl>\n\t\t<lowdataurl></lowdataurl>\n"
        "\t\t<appattach>\n\t\t\t<totallen>0</totallen>\n\t\t\t<attachid></attachid>\n\t\t\t<emoticonmd5></emoticonmd5>\n"
        "\t\t\t<fileext></fileext>\n\t\t\t<aeskey></aeskey>\n\t\t</appattach>\n"
        "\t\t<extinfo></extinfo>\n\t\t<sourceusername></sourceusername>\n\t\t<sourcedisplayname></sourcedisplayname>\n"
        "\t\t<thumburl></thumburl>\n\t\t<md5></md5>\n\t\t<statextstr></statextstr>\n"
        "\t\t<refermsg>\n"
        f"\t\t\t<type>{1 if q.kind == 'text' else 49}</type>\n"
        f"\t\t\t<svrid>{q.svrid}</svrid>\n"
        f"\t\t\t<fromusr>{escape(chat_id)}</fromusr>\n"
        f"\t\t\t<chatusr>{escape(q.sender.wxid)}</chatusr>\n"
        f"\t\t\t<displayname>{escape(q.sender.nickname)}</displayname>\n"
        f"\t\t\t<content>{escape(q.text)}</content>\n"
        f"\t\t\t<createtime>{int(q.when.timestamp())}</createtime>\n"
        "\t\t</refermsg>\n"
    )
    return _appmsg(inner, m.sender.wxid if m.sender else "")
