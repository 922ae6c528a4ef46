"""Writes the chats of :mod:`.conversation` the way WechatExporter (github.com/BlueMatthew/WechatExporter,
iPhone backups) writes them, as read from its own source:

* ``core/MessageParser.cpp`` (``MessageParser::parse`` and the ``parse*`` functions): which template a
  message gets and what goes into ``%%NAME%%``, ``%%TIME%%``, ``%%MESSAGE%%`` …;
* ``core/Exporter.cpp`` (``exportUser``, ``exportSession``, ``buildScriptFile``): file and folder
  layout, the frame, the account and top-level ``index`` lists, the async pages;
* ``res/templates/*.html`` and ``res/templates_txt/*.html``: the markup and the text lines;
* ``core/Utils.cpp`` (``safeHTML``, ``fromUnixTime``), ``core/ResManager.cpp`` (``convertEmojis``),
  ``res/zh-Hans.txt`` (the Chinese placeholders).

Three code generations are written (the tags and commits read):

======== ================================ ===========================================================
family   releases                         read at
======== ================================ ===========================================================
``1.7``  v1.7.18 (HTML; 1.7.x before it  v1.7.18 = b74da577c12dc482b700e4ac0bf551a6890d1cf5
         use the same classes)
``1.8``  v1.7.19.2 – v1.8.0.10 (HTML)     v1.8.0.10 = a4ef645835aaddb9bf8074acf7961a45ae022a14
``1.9``  v1.9.0.0 – v1.9.5.13 (TXT from   v1.9.5.13 = 474318a3de729a3c91e9b4f283c3e31982468344
         v1.7.16 on is the same)
``1.9.6`` source 1.9.6.0 (2025, no tag)   8f8ce412fc57c4c792cb519e9d1fb980e0f58cfd ("Commit Codes")
======== ================================ ===========================================================

What the exporter is given (the iPhone database rows) is modelled from the conversation; where
WeChat's own data had to be assumed it is said next to the kind (:func:`_parse`). Media files are
written as a few bytes with the right magic number (the exporter copies them from the backup).
The frame (CSS and JavaScript of ``frame.html``) is reduced to the parts that carry data (title,
chat name, the loader's data path and page figures, the message container); messages, lines and
pages are written exactly as the exporter's templates and code write them.

Run ``python -m tests.crawler.exports.make_wechat_exporter OUTDIR`` to write every layout.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from .conversation import TZ, Chat, Message, Person, group_chat, private_chat

# --- the exporter's names ------------------------------------------------------------------------


def display_name(p: Person) -> str:
    """``Friend::getDisplayName``: the remark (contact field 3), else the nickname (field 1)."""
    return p.remark or p.nickname


def sender_name(chat: Chat, p: Person | None) -> str:
    """``%%NAME%%`` as ``MessageParser::parse`` fills it: the account's own display name for its
    messages; in a group ``Session::getMemberName`` (the group nickname from ``RoomData``) else the
    sender's display name (every member is assumed to be in the contact table); in a private chat
    the other person's display name."""
    if p is None:
        return ""
    if p is chat.owner:
        return display_name(chat.owner)
    if chat.is_group:
        return p.group_nick or display_name(p)
    return display_name(p)


def quoted_name(p: Person | None) -> str:
    """``refermsg/displayname`` as the replier's WeChat writes it: the group nickname, else the
    nickname (a remark is private to each account)."""
    return "" if p is None else (p.group_nick or p.nickname)


def local_time(at: datetime) -> str:
    """``fromUnixTime``: ``%Y-%m-%d %H:%M:%S`` in the exporting computer's zone (Asia/Shanghai here)."""
    return at.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S")


def safe_html(s: str, nbsp: bool = True) -> str:
    """``safeHTML`` (core/Utils.cpp): ``&``, space (up to 1.9.5.13), ``<``, ``>``, then line ends → ``<br/>``."""
    pairs = [("&", "&amp;")] + ([(" ", "&nbsp;")] if nbsp else []) + [
        ("<", "&lt;"), (">", "&gt;"), ("\r\n", "<br/>"), ("\r", "<br/>"), ("\n", "<br/>")]
    for a, b in pairs:
        s = s.replace(a, b)
    return s


#: A few of ``res/emoji/emoji.json``'s ``[key]`` entries (key → image file), enough for the
#: conversation's texts (1.9.6 turns them into ``<img … rawemoji="[key]">``).
WX_EMOJI = {"微笑": "Smile", "强": "ThumbsUp", "抱拳": "Fight", "OK": "OK", "呲牙": "Grin"}


def convert_emojis(text: str, html: bool) -> str:
    """``ResManager::convertEmojis`` with the ``wxemoji`` template: HTML ``<img src=… title=…
    rawemoji=… class="wxemoji" />``, TXT ``[%%EMOJI_RAW%%]`` (so ``[微笑]`` becomes ``[[微笑]]``)."""
    def one(m: re.Match) -> str:
        key = m.group(1)
        if key not in WX_EMOJI:
            return m.group(0)
        full = f"[{key}]"
        if not html:
            return f"[{full}]"
        return f'<img src="Files/Emoji/wx/{WX_EMOJI[key]}.png" title="{full}" rawemoji="{full}" class="wxemoji" />'
    return re.sub(r"\[([^\[\]]+)\]", one, text)


# --- templates ----------------------------------------------------------------------------------
# res/templates (HTML) at v1.9.5.13; v1.8.0.10's are the same with two tabs less indentation.

_HEAD19 = '''\t\t\t\t<div class="msg {box} %%ALIGNMENT%% %%EXTRA_CLS%%" msgid="%%MSGID%%" msgtype="%%MSGTYPE%%">
\t\t\t\t\t<div class="avatar-box">
\t\t\t\t\t\t<img src="%%AVATAR%%" class="avatar"{slash}>
\t\t\t\t\t</div>
\t\t\t\t\t<div class="nt-box"><span class="dspname %%ALIGNMENT%%">%%NAME%%</span> %%TIME%%</div>
\t\t\t\t\t<div class="content-box">
'''
_TAIL19 = "\t\t\t\t\t</div>\n\t\t\t\t</div>\n"

HTML19 = {
    "msg": _HEAD19.format(box="chat", slash="") + '\t\t\t\t\t\t<div class="triangle"></div>\n'
    '\t\t\t\t\t\t<span class="dont-break-out msg-text">%%MESSAGE%%</span>\n' + _TAIL19,
    "refermsg": _HEAD19.format(box="chat", slash="") + '\t\t\t\t\t\t<div class="triangle"></div>\n'
    '\t\t\t\t\t\t<span class="dont-break-out refermsg msg-text">「%%REFERNAME%%：%%REFERMSG%%」</span><br />'
    '<span>- - - - - - - - - - - - - - -</span><br /><span class="dont-break-out msg-text">%%MESSAGE%%</span>\n'
    + _TAIL19,
    "plainshare": _HEAD19.format(box="chat", slash=" /") + '\t\t\t\t\t\t<div class="triangle"></div>\n'
    "\t\t\t\t\t\t<div>\n\t\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t\t<a href="%%SHARINGURL%%"><b><span class="dont-break-out msg-text">%%SHARINGTITLE%%</span></b></a>\n'
    "\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t\t<span class="dont-break-out msg-text">%%MESSAGE%%</span>\n'
    "\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t</div>\n"
    '\t\t\t\t\t\t<div class="appinfo">\n'
    '\t\t\t\t\t\t\t<img src="%%APPICONPATH%%" class="app-icon" /><span class="app-name">%%APPNAME%%</span>\n'
    "\t\t\t\t\t\t</div>\n\t\t\t\t\t\t\n" + _TAIL19,
    "share": _HEAD19.format(box="chat", slash=" /") + '\t\t\t\t\t\t<div class="triangle"></div>\n'
    "\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t<div style="display:table-cell;">\n'
    '\t\t\t\t\t\t\t\t<img src="%%SHARINGIMGPATH%%" style="max-width:60px;max-height:60px" />\n'
    "\t\t\t\t\t\t\t</div>\n"
    '\t\t\t\t\t\t\t<div style="display:table-cell; vertical-align: middle; padding-left: 8px;">\n'
    "\t\t\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t\t\t<a href="%%SHARINGURL%%"><b>%%SHARINGTITLE%%</b></a>\n'
    "\t\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t\t\t<span class="dont-break-out msg-text">%%MESSAGE%%</span>\n'
    "\t\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t</div>\n"
    '\t\t\t\t\t\t<div class="appinfo">\n'
    '\t\t\t\t\t\t\t<img src="%%APPICONPATH%%" class="app-icon" /><span class="app-name">%%APPNAME%%</span>\n'
    "\t\t\t\t\t\t</div>\n" + _TAIL19,
    "notice": '\t\t\t\t<div class="msg chat-notice %%EXTRA_CLS%%" msgid="%%MSGID%%">\n'
    '\t\t\t\t\t<div class="content-box">\n'
    '\t\t\t\t\t\t<span class="dont-break-out msg-text">%%MESSAGE%%</span>\n'
    "\t\t\t\t\t</div>\n\t\t\t\t</div>\n",
    "image": _HEAD19.format(box="media", slash=" /")
    + '\t\t\t\t\t\t<img rawUrl="%%IMGPATH%%" src="%%IMGTHUMBPATH%%" class="image img-%%ALIGNMENT%%_triangle"'
    ' onclick="javascript:showImagePopup(event);" />\n' + _TAIL19,
    "audio": _HEAD19.format(box="media", slash=" /")
    + '\t\t\t\t\t\t<audio controls><source src="%%AUDIOPATH%%" type="audio/mpeg"><a href="%%AUDIOPATH%%">播放</a></audio>\n'
    + _TAIL19,
    "video": _HEAD19.format(box="media", slash=" /")
    + '\t\t\t\t\t\t<video controls poster="%%THUMBPATH%%"><source src="%%VIDEOPATH%%" type="video/mp4">'
    '<a href="%%VIDEOPATH%%">播放</a></video>\n' + _TAIL19,
    "emoji": _HEAD19.format(box="media", slash=" /")
    + '\t\t\t\t\t\t<img src="%%EMOJIPATH%%" rawsrc="%%RAWEMOJIPATH%%" style="max-width:100px;max-height:60px" />\n'
    + _TAIL19,
    "card": _HEAD19.format(box="media", slash=" /") + '\t\t\t\t\t\t<div class="card-name">\n'
    '\t\t\t\t\t\t\t<img src="%%CARDIMGPATH%%" class="card-avatar" /><span class="dont-break-out msg-text">%%CARDNAME%%</span>\n'
    '\t\t\t\t\t\t</div>\n\t\t\t\t\t\t<div class="card-type">\n\t\t\t\t\t\t\t%%CARDTYPE%%\n\t\t\t\t\t\t</div>\n' + _TAIL19,
    "system": '\t\t        <div class="msg chat-notice %%EXTRA_CLS%%" msgid="%%MSGID%%"><span class="dont-break-out">'
    "系统消息：%%MESSAGE%%</span></div>\n",
}
HTML18 = {k: re.sub(r"(?m)^\t\t", "", v) for k, v in HTML19.items()}

# res/templates at v1.7.18 (b74da57): chat-left/media-left, span.name-left; MessageParser sets no
# msgtype yet (the attribute is written empty).
_HEAD17 = """\t\t<div class="{box}-%%ALIGNMENT%% %%EXTRA_CLS%%" msgid="%%MSGID%%" msgtype="%%MSGTYPE%%">
\t\t\t<div class="avatar-box">
\t\t\t\t<img src="%%AVATAR%%" class="avatar"{slash}>
\t\t\t</div>
\t\t\t<div class="nt-box"><span class="name-%%ALIGNMENT%%">%%NAME%%</span> %%TIME%%</div>
"""
_TAIL17 = "\t\t\t</div>\n\t\t</div>\n"
HTML17 = {
    "msg": _HEAD17.format(box="chat", slash="") + '\t\t\t<div class="content-box msg">\n\t\t\t\t<div class="triangle"></div>\n'
    '\t\t\t\t<span class="dont-break-out">%%MESSAGE%%</span>\n' + _TAIL17,
    "refermsg": _HEAD17.format(box="chat", slash="") + '\t\t\t<div class="content-box msg">\n'
    '\t\t\t\t<div class="triangle"></div>\n'
    '\t\t\t\t<span class="dont-break-out refermsg">「%%REFERNAME%%：%%REFERMSG%%」</span><br /><span>- - - - - - - - - - - - - - -'
    '</span><br /><span class="dont-break-out"></span>%%MESSAGE%%</span>\n' + _TAIL17,
    "plainshare": _HEAD17.format(box="chat", slash=" /") + '\t\t\t<div class="content-box">\n'
    '\t\t\t\t<div class="triangle"></div>\n\t\t\t\t<div>\n\t\t\t\t\t<div>\n'
    '\t\t\t\t\t\t<a href="%%SHARINGURL%%"><b>%%SHARINGTITLE%%</b></a>\n\t\t\t\t\t</div>\n\t\t\t\t\t<div>\n'
    '\t\t\t\t\t\t<span class="dont-break-out">%%MESSAGE%%</span>\n\t\t\t\t\t</div>\n\t\t\t\t</div>\n'
    '\t\t\t\t<div class="appinfo">\n'
    '\t\t\t\t\t<img src="%%APPICONPATH%%" class="app-icon" /><span class="app-name">%%APPNAME%%</span>\n'
    '\t\t\t\t</div>\n\t\t\t\t\n' + _TAIL17,
    "share": _HEAD17.format(box="chat", slash=" /") + '\t\t\t<div class="content-box">\n'
    '\t\t\t\t<div class="triangle"></div>\n\t\t\t\t<div>\n'
    '\t\t\t\t\t<div style="display:table-cell;">\n'
    '\t\t\t\t\t\t<img src="%%SHARINGIMGPATH%%" style="max-width:60px;max-height:60px" />\n\t\t\t\t\t</div>\n'
    '\t\t\t\t\t<div style="display:table-cell; vertical-align: middle; padding-left: 8px;">\n\t\t\t\t\t\t<div>\n'
    '\t\t\t\t\t\t\t<a href="%%SHARINGURL%%"><b>%%SHARINGTITLE%%</b></a>\n\t\t\t\t\t\t</div>\n\t\t\t\t\t\t<div>\n'
    '\t\t\t\t\t\t\t<span class="dont-break-out">%%MESSAGE%%</span>\n\t\t\t\t\t\t</div>\n\t\t\t\t\t</div>\n\t\t\t\t</div>\n'
    '\t\t\t\t<div class="appinfo">\n'
    '\t\t\t\t\t<img src="%%APPICONPATH%%" class="app-icon" /><span class="app-name">%%APPNAME%%</span>\n'
    '\t\t\t\t</div>\n' + _TAIL17,
    "notice": '\t\t<div class="chat-notice %%EXTRA_CLS%%" msgid="%%MSGID%%">\n\t\t\t<div class="content-box">\n'
    '\t\t\t\t<span class="dont-break-out">%%MESSAGE%%</span>\n\t\t\t</div>\n\t\t</div>\n',
    "image": _HEAD17.format(box="media", slash=" /") + '\t\t\t<div class="content-box">\n'
    '\t\t\t\t<a href="%%IMGPATH%%"><img src="%%IMGTHUMBPATH%%" class="image img-%%ALIGNMENT%%_triangle" /></a>\n' + _TAIL17,
    "audio": _HEAD17.format(box="media", slash=" /") + '\t\t\t<div class="content-box">\n'
    '\t\t\t\t<audio controls><source src="%%AUDIOPATH%%" type="audio/mpeg"><a href="%%AUDIOPATH%%">播放</a></audio>\n' + _TAIL17,
    "video": _HEAD17.format(box="media", slash=" /") + '\t\t\t<div class="content-box">\n'
    '\t\t\t\t<video controls poster="%%THUMBPATH%%"><source src="%%VIDEOPATH%%" type="video/mp4"><a href="%%VIDEOPATH%%">播放</a>'
    '</video>\n' + _TAIL17,
    "emoji": _HEAD17.format(box="media", slash=" /") + '\t\t\t<div class="content-box">\n'
    '\t\t\t\t<img src="%%EMOJIPATH%%" style="max-width:100px;max-height:60px" />\n' + _TAIL17,
    "card": _HEAD17.format(box="media", slash=" /") + '\t\t\t<div class="content-box">\n\t\t\t\t<div class="card-name">\n'
    '\t\t\t\t\t<img src="%%CARDIMGPATH%%" class="card-avatar" /><span class="dont-break-out">%%CARDNAME%%</span>\n'
    '\t\t\t\t</div>\n\t\t\t\t<div class="card-type">\n\t\t\t\t\t%%CARDTYPE%%\n\t\t\t\t</div>\n' + _TAIL17,
    "system": '        <div class="chat-notice" msgid="%%MSGID%% %%EXTRA_CLS%%"><span class="dont-break-out">系统消息：%%MESSAGE%%'
    "</span></div>\n",
}

# res/templates at 1.9.6.0 (8f8ce41): <pre> around texts, wxId on the name, transfer and system changed
# (the transfer icon's base64 PNG is shortened here).
_HEAD196 = '''\t\t\t\t<div class="msg {box} %%ALIGNMENT%% %%EXTRA_CLS%%" msgid="%%MSGID%%" msgtype="%%MSGTYPE%%">
\t\t\t\t\t<div class="avatar-box">
\t\t\t\t\t\t<img src="%%AVATAR%%" class="avatar"{slash}>
\t\t\t\t\t</div>
\t\t\t\t\t<div class="nt-box"><span class="dspname %%ALIGNMENT%%" wxId="%%WXNAME%%">%%NAME%%</span> %%TIME%%</div>
\t\t\t\t\t<div class="content-box">
'''
HTML196 = {
    "msg": _HEAD196.format(box="chat", slash="") + '\t\t\t\t\t\t<div class="triangle"></div>\n'
    '\t\t\t\t\t\t<span class="dont-break-out msg-text"><pre>%%MESSAGE%%</pre></span>\n' + _TAIL19,
    "refermsg": _HEAD196.format(box="chat", slash="") + '\t\t\t\t\t\t<div class="triangle"></div>\n'
    '\t\t\t\t\t\t<span class="dont-break-out refermsg msg-text"><pre>「%%REFERNAME%%：%%REFERMSG%%」</pre></span><br />'
    '<span>- - - - - - - - - - - - - - -</span><br /><span class="dont-break-out msg-text"><pre>%%MESSAGE%%</pre></span>\n'
    + _TAIL19,
    "plainshare": _HEAD196.format(box="chat", slash=" /") + '\t\t\t\t\t\t<div class="triangle"></div>\n'
    "\t\t\t\t\t\t<div>\n\t\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t\t<a href="%%SHARINGURL%%"><b><span class="dont-break-out msg-text"><pre>%%SHARINGTITLE%%</pre></span></b></a>\n'
    "\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t\t<span class="dont-break-out msg-text"><pre>%%MESSAGE%%</pre></span>\n'
    "\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t</div>\n"
    '\t\t\t\t\t\t<div class="appinfo">\n'
    '\t\t\t\t\t\t\t<img src="%%APPICONPATH%%" class="app-icon" /><span class="app-name">%%APPNAME%%</span>\n'
    "\t\t\t\t\t\t</div>\n\t\t\t\t\t\t\n" + _TAIL19,
    "share": _HEAD196.format(box="chat", slash=" /") + '\t\t\t\t\t\t<div class="triangle"></div>\n'
    "\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t<div style="display:table-cell;">\n'
    '\t\t\t\t\t\t\t\t<img data-src="%%SHARINGIMGPATH%%" style="max-width:60px;max-height:60px" clas="lazyload" />\n'
    "\t\t\t\t\t\t\t</div>\n"
    '\t\t\t\t\t\t\t<div style="display:table-cell; vertical-align: middle; padding-left: 8px;">\n'
    "\t\t\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t\t\t<a href="%%SHARINGURL%%"><b>%%SHARINGTITLE%%</b></a>\n'
    "\t\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t\t\t<span class="dont-break-out msg-text"><pre>%%MESSAGE%%</pre></span>\n'
    "\t\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t</div>\n"
    '\t\t\t\t\t\t<div class="appinfo">\n'
    '\t\t\t\t\t\t\t<img src="%%APPICONPATH%%" class="app-icon" /><span class="app-name">%%APPNAME%%</span>\n'
    "\t\t\t\t\t\t</div>\n" + _TAIL19,
    "notice": '\t\t\t\t<div class="msg chat-notice %%EXTRA_CLS%%" msgid="%%MSGID%%">\n'
    '\t\t\t\t\t<div class="content-box">\n'
    '\t\t\t\t\t\t<span class="dont-break-out msg-text"><pre>%%MESSAGE%%</pre></span>\n'
    "\t\t\t\t\t</div>\n\t\t\t\t</div>\n",
    "image": _HEAD196.format(box="media", slash=" /")
    + '\t\t\t\t\t\t<img rawUrl="%%IMGPATH%%" data-src="%%IMGTHUMBPATH%%" class="lazyload image img-%%ALIGNMENT%%_triangle"'
    ' onclick="javascript:showImagePopup(event);" />\n' + _TAIL19,
    "audio": _HEAD196.format(box="media", slash=" /")
    + '\t\t\t\t\t\t<div class="voicebox" style="width:%%AUDIOLENGTH%%px" audio="%%AUDIOPATH%%"'
    " onclick=\"javascript:playAudio(this, '%%MSGID%%');\">\n"
    '\t\t\t\t\t\t\t<div class="voiceimg" id="voiceimg-%%MSGID%%"></div>\n'
    '\t\t\t\t\t\t\t<div class="voicetime">%%AUDIOTIME%%</div>\n\t\t\t\t\t\t</div>\n' + _TAIL19,
    "video": _HEAD196.format(box="media", slash=" /")
    + '\t\t\t\t\t\t<video controls preload="none" autoplay="false" data-poster="%%THUMBPATH%%" class="lazyload">'
    '<source src="%%VIDEOPATH%%" type="video/mp4"><a href="%%VIDEOPATH%%">播放</a></video>\n' + _TAIL19,
    "emoji": _HEAD196.format(box="media", slash=" /")
    + '\t\t\t\t\t\t<img src="%%EMOJIPATH%%" alt="%%EMOJI_TITLE%%" rawsrc="%%RAWEMOJIPATH%%"'
    ' style="max-width:100px;max-height:60px" />\n' + _TAIL19,
    "card": _HEAD196.format(box="media", slash=" /") + '\t\t\t\t\t\t<div class="card-name">\n'
    '\t\t\t\t\t\t\t<img src="%%CARDIMGPATH%%" class="card-avatar" /><span class="dont-break-out msg-text">%%CARDNAME%%</span>\n'
    '\t\t\t\t\t\t</div>\n\t\t\t\t\t\t<div class="card-type">\n\t\t\t\t\t\t\t%%CARDTYPE%%\n\t\t\t\t\t\t</div>\n' + _TAIL19,
    "system": '\t\t        <div class="msg chat-notice %%EXTRA_CLS%%" msgid="%%MSGID%%"><span class="dont-break-out">'
    "System Message: %%MESSAGE%%</span></div>\n",
    "transfer": _HEAD196.format(box="chat", slash=" /") + '\t\t\t\t\t\t<div class="triangle"></div>\n'
    "\t\t\t\t\t\t<div>\n\t\t\t\t\t\t\t<div>\n"
    '\t\t\t\t\t\t\t\t<span class="dont-break-out msg-text"><pre>%%MESSAGE%%</pre></span>\n'
    "\t\t\t\t\t\t\t</div>\n\t\t\t\t\t\t</div>\n"
    '\t\t\t\t\t\t<div class="appinfo">\n'
    '\t\t\t\t\t\t\t<img src="data:image/png;base64,iVBORw0KGgo=" class="transfer-icon" /><span class="app-name">微信转账</span>\n'
    "\t\t\t\t\t\t</div>\n\t\t\t\t\t\t\n" + _TAIL19,
}

# res/templates_txt: up to 1.9.5.13 (the same since v1.7.16), and at 1.9.6.0. Note the missing
# line ends: a share (v1.9) and a transfer (1.9.6) run into the next message's line.
TXT19 = {
    "msg": "%%NAME%% (%%TIME%%):%%MESSAGE%%\n",
    "notice": "%%MESSAGE%%\n",
    "system": "系统消息：%%MESSAGE%%\n",
    "refermsg": "「%%REFERNAME%%：%%REFERMSG%%」\n- - - - - - - - - - - - - - -\n%%MESSAGE%%\n",
    "plainshare": "%%NAME%% %%TIME%%:%%SHARINGTITLE%%\n",
    "share": "%%NAME%% (%%TIME%%):%%SHARINGTITLE%%",
    "card": "%%NAME%% (%%TIME%%):%%CARDTYPE%% %%CARDNAME%%\n",
    "thumb": "%%NAME%% (%%TIME%%):%%MESSAGE%%\n",
}
TXT196 = {
    "msg": "%%NAME%% (%%TIME%%):%%MESSAGE%%\n",
    "notice": "%%MESSAGE%%\n",
    "system": "System Message: %%MESSAGE%%\n",
    "refermsg": "「%%REFERNAME%%：%%REFERMSG%%」\n- - - - - - - - - - - - - - -\n%%MESSAGE%%\n",
    "plainshare": "%%NAME%% (%%TIME%%):%%SHARINGTITLE%%\n",
    "share": "%%NAME%% (%%TIME%%):%%SHARINGTITLE%% - %%APPNAME%%\n",
    "card": "%%NAME%% (%%TIME%%):%%CARDTYPE%% %%CARDNAME%%\n",
    "thumb": "%%NAME%% (%%TIME%%):%%MESSAGE%%\n",
    "transfer": "%%NAME%% (%%TIME%%):微信转账 %%MESSAGE%%",
}


def fill(template: str, values: dict[str, str], version: str) -> str:
    """A filled template. Up to 1.9.5.13 ``buildContentFromTemplateValues`` replaces the values one
    after the other (in key order) and then erases every ``%%…%%`` left; 1.9.6's ``Template::build``
    replaces each tag once and erases the tags it has no value for."""
    if version != "1.9.6":
        out = template
        for k in sorted(values):
            out = out.replace(k, values[k])
        return re.sub(r"%%.*?%%", "", out, flags=re.S)
    return re.sub(r"%%[^%\n]*?%%", lambda m: values.get(m.group(0), ""), template)


# --- MessageParser ------------------------------------------------------------------------------

#: The forwarded messages inside the conversation's merged-forward card (``recorditem``), as
#: (source name, seconds before the card, text).
FORWARDED = (("班长老周", 86_400, "明天早班六点集合"), ("调度室", 86_000, "注意井下通风\n按时交接班"))

#: Values WeChat's own data holds that the conversation does not model.
MINIAPP_URL = "https://mp.weixin.qq.com/mp/waerrpage?appid=wx5aa3bd1c9e0f&type=upgrade&upgradetype=3#wechat_redirect"
NOTICE_TITLE = "群公告"
VOICE_MS = 5000
LOCATION_XY = ("39.912345", "116.404321")
TRANSFER_FEE = "￥200.00"
TRANSFER_TO = "wxid_wang02"


def _pat_people(chat: Chat, m: Message) -> tuple[Person | None, Person | None]:
    """Who patted whom, from the pat line's quoted nicknames."""
    names = re.findall(r'"([^"]+)"', m.text)
    people = {p.nickname: p for p in chat.members}
    found = [people.get(n) for n in names[:2]] + [None, None]
    return found[0], found[1]


class _Parser:
    """``MessageParser::parse`` for one chat, one version and one mode (text or HTML)."""

    def __init__(self, chat: Chat, version: str, text_mode: bool, attachments: bool = False):
        self.chat, self.version, self.text, self.attachments = chat, version, text_mode, attachments
        self.assets = "Files" if version == "1.9.6" else f"{chat.display_name}_files"
        self.portraits = "Files/Portrait/" if version == "1.9.6" else "Portrait/"

    def html_text(self, s: str) -> str:
        """``parseText``: 1.9.6 converts emoji codes (no escaping), earlier versions escape."""
        if self.text:
            return s
        return convert_emojis(s, True) if self.version == "1.9.6" else safe_html(s)

    def name_value(self, s: str) -> str:
        if self.text:
            return s
        return safe_html(s, nbsp=self.version != "1.9.6")

    def parse(self, m: Message) -> list[tuple[str, dict[str, str]]]:
        v = {"%%MSGID%%": str(m.local_id), "%%NAME%%": "", "%%TIME%%": local_time(m.at),
             "%%MSGTYPE%%": str(m.type_code[0]), "%%MESSAGE%%": ""}
        tvs: list[tuple[str, dict[str, str]]] = [("msg", v)]
        sender = m.sender
        if m.kind == "pat" and self.version != "1.9.6":
            sender = _pat_people(self.chat, m)[0]  # the app message comes from the one who patted
        name = tvs[0][0]
        name = self._content(m, v, tvs) or name
        if self.version == "1.7":  # MessageParser sets neither a type nor "raw-img" before 1.7.19
            v.pop("%%MSGTYPE%%", None)
            if v.get("%%EXTRA_CLS%%") == "raw-img":
                del v["%%EXTRA_CLS%%"]
        tvs[0] = (name, v)
        self._who(m, sender, v)
        return tvs

    def _who(self, m: Message, sender: Person | None, v: dict[str, str]) -> None:
        chat = self.chat
        if sender is None:
            v["%%ALIGNMENT%%"] = "left"
            v["%%AVATAR%%"] = ""
            return
        mine = sender is chat.owner
        v["%%ALIGNMENT%%"] = "right" if mine else "left"
        v["%%NAME%%"] = self.name_value(sender_name(chat, sender))
        v["%%AVATAR%%"] = f"{self.portraits}{sender.wxid}.jpg"
        if self.version == "1.9.6":
            v["%%WXNAME%%"] = sender.alias

    def _content(self, m: Message, v: dict[str, str], tvs: list) -> str:
        """Fills ``v`` for the message kind; returns the template name."""
        html, new, mid = not self.text, self.version == "1.9.6", str(m.local_id)
        kind = m.kind
        if kind == "text":
            v["%%MESSAGE%%"] = self.html_text(m.text)
            return "msg"
        if kind == "image":  # parseImage: the picture is in the backup
            if not html:
                v["%%MESSAGE%%"] = "[图片]"
                return "msg"
            v.update({"%%IMGPATH%%": f"{self.assets}/{mid}.jpg", "%%IMGTHUMBPATH%%": f"{self.assets}/{mid}_thumb.jpg",
                      "%%MSGTYPE%%": "image", "%%EXTRA_CLS%%": "raw-img"})
            return "image"
        if kind == "voice":  # parseVoice: the .aud converts to mp3 in HTML mode
            if not html:  # up to 1.9.5.13 the length is only read when audio is exported
                v["%%MESSAGE%%"] = f'[语音 {VOICE_MS // 1000}"]' if new else "[语音]"
                return "msg"
            v["%%AUDIOPATH%%"] = f"{self.assets}/{mid}.mp3"
            if new:
                v.update({"%%AUDIOTIME%%": f'{VOICE_MS // 1000}"', "%%AUDIOLENGTH%%": str(VOICE_MS * 300 // 60000)})
            return "audio"
        if kind == "video":
            if not html:
                v["%%MESSAGE%%"] = "[视频]"
                return "msg"
            v.update({"%%THUMBPATH%%": f"{self.assets}/{mid}_thum.jpg", "%%VIDEOPATH%%": f"{self.assets}/{mid}.mp4",
                      "%%MSGTYPE%%": "video"})
            return "video"
        if kind == "sticker":  # parseEmotion: the cdnurl is downloaded (HTML), text mode ignores it
            if not html:
                v["%%MESSAGE%%"] = "[表情]"
                return "msg"
            url = "http://emoji.qpic.cn/wx_emoji/3kq8TcvqyP2ZyJmXzKkqLQ/"
            v["%%EMOJIPATH%%"] = ("Files/Emoji/" if new else "Emoji/") + "3kq8TcvqyP2ZyJmXzKkqLQ.gif"
            v["%%RAWEMOJIPATH%%"] = url
            return "emoji"
        if kind == "location":
            v["%%MESSAGE%%"] = f"[位置] {m.text} ({LOCATION_XY[0]},{LOCATION_XY[1]})"
            return "msg"
        if kind == "card":  # parseCard: a card with a head image (HTML); text mode reads the nickname only
            if not html:
                v["%%CARDTYPE%%"] = "[个人名片]"
                v["%%MESSAGE%%"] = f"[个人名片] {m.text}"
                v["%%EXTRA_CLS%%"] = "contact-card"
                return "msg"
            v.update({"%%CARDTYPE%%": "[个人名片]", "%%CARDNAME%%": m.text, "%%EXTRA_CLS%%": "contact-card",
                      "%%CARDIMGPATH%%": ("Files/Portrait/" if new else "Portrait/") + "wxid_wang02.jpg"})
            return "card"
        if kind == "call":
            v["%%MESSAGE%%"] = "[视频/语音通话]"
            return "msg"
        if kind in ("system", "recall"):
            # parseSystem: plain text (a revoked message is stored as the replacing notice line)
            v["%%MESSAGE%%"] = m.text
            return "notice"
        return self._app(m, v, tvs)

    def _app(self, m: Message, v: dict[str, str], tvs: list) -> str:
        """``parseAppMsg``: the template is ``plainshare`` unless the sub-parser sets another one."""
        html, new, mid, kind = not self.text, self.version == "1.9.6", str(m.local_id), m.kind
        if kind == "quote":  # parseAppMsgRefer
            q = m.quoted
            v["%%REFERNAME%%"] = quoted_name(q.sender if q else None)
            title = m.text
            v["%%MESSAGE%%"] = convert_emojis(title, html) if new else title
            if q is None or q.kind == "text":
                content = q.text if q else ""
                v["%%REFERMSG%%"] = convert_emojis(content, True) if (new and html) else content
            elif q.kind == "image":
                v["%%REFERMSG%%"] = "[图片]"
            elif q.kind == "video":
                v["%%REFERMSG%%"] = "[视频]"
            else:  # a quoted app message shows its title
                v["%%REFERMSG%%"] = q.text
            return "refermsg"
        if kind == "link":  # parseAppMsgUrl: the thumbnail is in the backup → "share"
            v.update({"%%SHARINGIMGPATH%%": f"{self.assets}/{mid}_thum.jpg", "%%SHARINGTITLE%%": m.text,
                      "%%SHARINGURL%%": m.link_url, "%%MESSAGE%%": m.link_des})
            return "share"
        if kind == "file":  # parseFile: copied in HTML mode when in the backup, else "[文件: …]"
            if not html or not self.attachments:
                v["%%MESSAGE%%"] = f"[文件: {m.text}]"
                return "msg"
            v.update({"%%SHARINGURL%%": f"{self.assets}/{mid}.xlsx", "%%SHARINGTITLE%%": m.text, "%%MESSAGE%%": "",
                      "%%MSGTYPE%%": "file"})
            return "plainshare"
        if kind == "merged":  # parseAppMsgFwdMsg + parseForwardedMsgs
            v["%%MESSAGE%%"] = m.text
            tvs.extend(self._forwarded(m))
            return "msg"
        if kind == "redpacket":
            v["%%MESSAGE%%"] = "[红包]"
            return "plainshare"
        if kind == "transfer":
            if not new:
                v["%%MESSAGE%%"] = "[转账]"
                return "plainshare"
            # paysubtype 1 (sent): "向%s转账" with the receiver's member name in a group
            receiver = next((p for p in self.chat.members if p.wxid == TRANSFER_TO), None)
            desc = f"向{receiver.group_nick or display_name(receiver)}转账" if self.chat.is_group and receiver else "转账"
            v["%%MESSAGE%%"] = f"{TRANSFER_FEE} - {desc}"
            return "transfer"
        if kind == "pat":
            if not new:  # 62 is not handled before 1.9.6: parseAppMsgDefault, a title and no url
                v["%%MESSAGE%%"] = m.text
                return "plainshare"
            who, whom = _pat_people(self.chat, m)
            v["%%MESSAGE%%"] = f'"{display_name(who) if who else ""}" 拍了拍 "{display_name(whom) if whom else ""}"'
            return "system"
        if kind == "notice":  # 87 is not handled: parseAppMsgDefault, a title and no url
            v["%%MESSAGE%%"] = NOTICE_TITLE
            return "plainshare"
        if kind == "miniapp":  # parseAppMsgDefault: title and url, no thumburl
            v.update({"%%SHARINGURL%%": MINIAPP_URL, "%%SHARINGTITLE%%": m.text, "%%MESSAGE%%": "",
                      "%%SHARINGIMGPATH%%": ""})
            return "plainshare"
        if kind == "music":
            v.update({"%%SHARINGURL%%": "https://y.music.163.com/m/song?id=1", "%%SHARINGTITLE%%": m.text,
                      "%%MESSAGE%%": ""})
            return "plainshare"
        if kind == "channels":
            v.update({"%%CARDNAME%%": "视频号作者", "%%CHANNELS%%": "视频号", "%%MESSAGE%%": m.text})
            return "plainshare"
        raise ValueError(f"no rendering for {kind}")

    def _forwarded(self, m: Message) -> list[tuple[str, dict[str, str]]]:
        out = [("notice", {"%%MESSAGE%%": f"<< {m.text}", "%%EXTRA_CLS%%": "fmsgtag"})]
        for i, (who, before, text) in enumerate(FORWARDED, 1):
            at = m.at - timedelta(seconds=before)
            out.append(("msg", {"%%ALIGNMENT%%": "left", "%%EXTRA_CLS%%": "fmsg",
                                "%%MESSAGE%%": text.replace("\n", "<br />"), "%%NAME%%": who,
                                "%%MSGID%%": f"{m.local_id}_{i}", "%%TIME%%": local_time(at),
                                "%%AVATAR%%": f"{self.portraits}DefaultAvatar.png"}))
        out.append(("notice", {"%%MESSAGE%%": f"{m.text} 结束 >>", "%%EXTRA_CLS%%": "fmsgtag"}))
        return out


def rendered(chat: Chat, version: str, text_mode: bool, *, desc: bool = False, attachments: bool = False) -> list[str]:
    """Every message of ``chat`` as the exporter's ``messages`` vector holds it (one string each).
    ``attachments``: the sent files are in the backup (the phone downloaded them), so HTML mode
    copies them (``<id>.xlsx``) and links them; else it writes ``[文件: name]``."""
    templates = (TXT196 if version == "1.9.6" else TXT19) if text_mode else \
        {"1.7": HTML17, "1.8": HTML18, "1.9": HTML19, "1.9.6": HTML196}[version]
    parser = _Parser(chat, version, text_mode, attachments)
    out = []
    for m in sorted(chat.messages, key=lambda m: m.at, reverse=desc):
        out.append("".join(fill(templates[name], values, version) for name, values in parser.parse(m)))
    return out


# --- files --------------------------------------------------------------------------------------

_MAGIC = {".jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", ".png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
          ".gif": b"GIF89a\x01\x00\x01\x00", ".mp3": b"ID3\x03\x00\x00\x00\x00\x00\x00",
          ".mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", ".xlsx": b"PK\x03\x04\x14\x00\x06\x00"}


def _write(path: Path, data: str | bytes, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    written.append(path)


def _media(chat: Chat, base: Path, version: str, written: list[Path], attachments: bool = False) -> None:
    """The files the exporter copies beside an HTML chat (portraits, pictures, voice, emoji …)."""
    assets = base / ("Files" if version == "1.9.6" else f"{chat.display_name}_files")
    for m in chat.messages:
        mid = str(m.local_id)
        names = {"image": [f"{mid}.jpg", f"{mid}_thumb.jpg"], "voice": [f"{mid}.mp3"], "link": [f"{mid}_thum.jpg"],
                 "video": [f"{mid}.mp4", f"{mid}_thum.jpg"],
                 "file": [f"{mid}.xlsx"] if attachments else []}.get(m.kind, [])
        for n in names:
            _write(assets / n, _MAGIC[Path(n).suffix], written)
    if version == "1.9.6":
        for key in ("微笑", "强", "抱拳"):
            _write(assets / "Emoji" / "wx" / f"{WX_EMOJI[key]}.png", _MAGIC[".png"], written)
        _write(assets / "Emoji" / "3kq8TcvqyP2ZyJmXzKkqLQ.gif", _MAGIC[".gif"], written)
        for p in chat.members:
            _write(assets / "Portrait" / f"{p.wxid}.jpg", _MAGIC[".jpg"], written)
    else:
        _write(base / "Emoji" / "3kq8TcvqyP2ZyJmXzKkqLQ.gif", _MAGIC[".gif"], written)


def _txt_thumbs(chat: Chat, assets: Path, written: list[Path]) -> None:
    """Text mode still copies a link card's thumbnail (``parseAppMsgUrl`` does not look at the mode)."""
    for m in chat.messages:
        if m.kind == "link":
            _write(assets / f"{m.local_id}_thum.jpg", _MAGIC[".jpg"], written)


def _account(chats: Sequence[Chat]) -> str:
    return display_name(chats[0].owner)


def _as_list(chats: Chat | Sequence[Chat]) -> list[Chat]:
    return [chats] if isinstance(chats, Chat) else list(chats)


def _txt_lists(chats: list[Chat], folder: Path, version: str, written: list[Path]) -> None:
    """The top-level and account ``index.txt`` (``listframe``/``listitem`` of templates_txt)."""
    account = _account(chats)
    if version == "1.9.6":
        top = "微信聊天记录 " + "\n\n\n" + f"{account}/index.txt\n\n" + "\n"
        mine = f"微信聊天记录  - {account}" + "\n\n\n" + "".join(f"{c.display_name}.txt\n\n" for c in chats) + "\n"
    else:
        top = "微信聊天记录" + "\n\n\n" + f"{account}/index.txt\n\n" + "\n"
        mine = f"微信聊天记录 - {account}" + "\n\n\n" + "".join(f"{c.display_name}.txt\n\n" for c in chats) + "\n"
    _write(folder / "index.txt", top, written)
    _write(folder / account / "index.txt", mine, written)


def write_txt_19(chats: Chat | Sequence[Chat], folder: Path, *, desc: bool = False) -> list[Path]:
    """TXT as v1.7.16 – v1.9.5.13 write it (read at v1.9.5.13, 474318a: ``Exporter::exportSession``,
    ``res/templates_txt``): ``<out>/<account>/<chat>.txt``, UTF-8 without BOM, LF; the frame line
    ``<chat> - 微信聊天记录``, a blank line, then one template per message. Quoted replies have no
    name or time line; a link card (``share``) has no line end; ``plainshare`` writes
    ``NAME TIME:`` without brackets; app messages without a title template write an empty line."""
    chats, written = _as_list(chats), []
    account = folder / _account(chats)
    for chat in chats:
        body = "".join(rendered(chat, "1.9", True, desc=desc))
        _write(account / f"{chat.display_name}.txt", f"{chat.display_name} - 微信聊天记录\n\n{body}\n", written)
        _txt_thumbs(chat, account / f"{chat.display_name}_files", written)
    _txt_lists(chats, folder, "1.9", written)
    return written


def write_txt_196(chats: Chat | Sequence[Chat], folder: Path, *, desc: bool = False) -> list[Path]:
    """TXT as the 1.9.6.0 source writes it (8f8ce41: ``Exporter::exportSession``, ``res/templates_txt``):
    ``<out>/<account>/<chat>/index.txt`` (plus an empty ``Files/Data`` folder), the same frame; a
    share line ends with `` - <app name>``, a transfer (``微信转账 …``) has no line end, a pat is a
    ``System Message: …`` line, emoji codes in a quoted reply come out as ``[[微笑]]``; the account
    writes ``<out>/<account>_Contacts.csv``."""
    chats, written = _as_list(chats), []
    account = folder / _account(chats)
    for chat in chats:
        body = "".join(rendered(chat, "1.9.6", True, desc=desc))
        _write(account / chat.display_name / "index.txt", f"{chat.display_name} - 微信聊天记录\n\n{body}\n", written)
        (account / chat.display_name / "Files" / "Data").mkdir(parents=True, exist_ok=True)
        _txt_thumbs(chat, account / chat.display_name / "Files", written)
    _txt_lists(chats, folder, "1.9.6", written)
    _contacts(chats, folder, written)
    return written


def _contacts(chats: list[Chat], folder: Path, written: list[Path]) -> None:
    """``<out>/<account>_Contacts.csv`` (1.9.6 release build): ``"微信号","name","portrait","tags"``
    per contact, CRLF, no header, sorted by display name."""
    people = {p.wxid: p for c in chats for p in c.members if p is not c.owner}
    rows = []
    for p in sorted(people.values(), key=lambda p: display_name(p).encode("utf-8")):
        name = display_name(p).replace('"', '""')
        rows.append(f'"{p.alias}","{name}","http://wx.qlogo.cn/mmhead/ver_1/{p.wxid}/132",""\r\n')
    _write(folder / f"{_account(chats)}_Contacts.csv", "".join(rows), written)


_LIST_HTML = """<!doctype html>
<html>
\t<head>
\t\t<meta charset="utf-8">
\t\t<title>微信聊天记录{who}</title>
\t</head>
\t<body>
    <table width="400" border="0" style="border-collapse:separate; word-break:break-all; word-wrap:break-word;" align="center">
    {rows}
    </table>
\t</body>
</html>
"""
_LIST_ITEM = """    <tr height="60">
      <td width="100" align="center">
        <img src="{pic}" style="float:left;max-width:60px;max-height:60px" />
      </td>
      <td>
        <a href="{link}">{text}</a>
      </td>
    </tr>
"""


def _html_lists(chats: list[Chat], folder: Path, version: str, written: list[Path]) -> None:
    """The top-level and account ``index.html`` (``listframe``/``listitem``)."""
    account = _account(chats)
    sep = " " if version == "1.9.6" else ""
    link = (lambda c: f"{quote(c.display_name, safe='')}/index.html") if version == "1.9.6" else \
        (lambda c: f"{quote(c.display_name, safe='')}.html")
    rows = "".join(_LIST_ITEM.format(pic=f"Portrait/{c.id}.jpg", link=link(c),
                                     text=safe_html(c.display_name, nbsp=version != "1.9.6")) for c in chats)
    _write(folder / account / "index.html", _LIST_HTML.format(who=f"{sep} - {account}", rows=rows), written)
    top = _LIST_ITEM.format(pic="", link=f"{account}/index.html", text=account)
    _write(folder / "index.html", _LIST_HTML.format(who=sep, rows=top), written)
    portraits = folder / account / "Portrait"
    _write(portraits / ("DefaultAvatar.png" if version == "1.9.6" else "DefaultProfileHead@2x.png"), _MAGIC[".png"],
           written)
    if version != "1.9.6":
        for p in {p.wxid: p for c in chats for p in c.members}.values():
            _write(portraits / f"{p.wxid}.jpg", _MAGIC[".jpg"], written)


def _frame(chat: Chat, version: str, body: str, *, data_path: str = "", pages: int = 0, msgs: int = 0,
           json_data: str = "[]", page_data: str = "[]", loading: str = "") -> str:
    """A session page: the frame reduced to what carries data (see the module docstring)."""
    name = chat.display_name
    loader = f'\t\t\t\tscript.src   = "{data_path}/msg-" + nextPage + ".js";\n' if version != "1.8" else ""
    head = (f'<!doctype html>\n<html>\n\t<head>\n\t\t<meta charset="utf-8">\n'
            f'\t\t<style type=text/css>\n\t\t\t.msg {{ margin: 4px; }}\n\t\t</style>\n'
            f"\t\t<title>{name} - 微信聊天记录</title>\n"
            f'\t\t<script language="javascript">\n\t\t\tfunction loadMsgsForNextPage()\n\t\t\t{{\n'
            f'\t\t\t\tvar script   = document.createElement("script");\n{loader}\t\t\t}}\n')
    if version == "1.9.6":
        head += (f'\t\t\tfunction initWechatPage() {{\n\t\t\t\twindow.pagerType = "";\n'
                 f"\t\t\t\tinitPageData({page_data});\t// array of {{'numnberOfMsgs', 'year', 'month', 'page', }}\n"
                 f"\t\t\t\twindow.sizeOfMsgPage = parseInt('1000') || 100;\n"
                 f"\t\t\t\tvar numberOfMsgs = parseInt('{msgs}') || 0;\n"
                 f"\t\t\t\tvar numberOfPages = parseInt('{pages}') || 0;\n"
                 f'\t\t\t\tvar asyncLoadingType = "{loading}";\n\t\t\t}}\n')
    head += "\t\t</script>\n\t</head>\n"
    if version == "1.7":  # no loader in the head, the header is a div, no filter
        head = (f'<!doctype html>\n<html>\n\t<head>\n\t\t<meta charset="utf-8">\n'
                f"\t\t<style type=text/css>\n\t\t\t.msg {{ margin: 4px; }}\n\t\t</style>\n"
                f"\t\t<title>{name} - 微信聊天记录</title>\n\t</head>\n")
        return (f'{head}\t<body uid="" sid="">\n\t\t<div class="main">\n\t\t\t<div class="header">\n'
                f'\t\t\t\t<div class="sname">{name}</div>\n\t\t\t\t<div class="msgfilter"></div>\n\t\t\t</div>\n'
                f'\t\t\t<div class="msgs" id="msgs-div">\n{body}\n\t\t\t</div>\n'
                f'\t\t\t<div class="footer">\n\t\n\t\t\t</div>\n\t\t</div>\n\n  </body>\n  {loading}\n</html>\n')
    page = (f'{head}\t<body uid="" sid="">\n\t\t<div class="main">\n\t\t\t<div class="header">\n'
            f'\t\t\t\t<span class="sname">{name}</span>\n\t\t\t\t<div class="msgfilter">\n'
            f"\t\t\t\t\t<!-- filter.html -->\n\n\t\t\t\t</div>\n\t\t\t</div>\n"
            f'\t\t\t<div class="msgs" id="msgs-div">\n{body}\n\t\t\t</div>\n'
            f'\t\t\t<div class="footer">\n\t\n\t\t\t</div>\n\t\t</div>\n\n  \t</body>\n')
    if version == "1.8":
        page += (f'  \t<script language="javascript">\n\t\taddEventListener(\'load\', function (e)\n\t\t\t{{\n'
                 f"\t\t\t\twindow.moreWechatMsgs = {json_data};\n\t\t\t\twindow.currentIndex = 0;\n"
                 f'\t\t\t\tvar asyncLoadingType = "initial";\n\t\t\t}}, false);\n\n\t  </script>\n'
                 f"  <!-- scripts.html -->\n  {loading}\n\n\n</html>\n")
    elif version == "1.9":
        page += (f'  \t<script language="javascript">\n\t\t(function() {{\n'
                 f"\t\t\twindow.sizeOfMsgPage = parseInt('1000') || 100;\n"
                 f"\t\t\tvar numberOfMsgs = parseInt('{msgs}') || 0;\n"
                 f"\t\t\tvar numberOfPages = parseInt('{pages}') || 0;\n"
                 f'\t\t\tvar asyncLoadingType = "initial";\n\t\t}})();\n\t</script>\n</html>\n')
    else:
        page += "\n\t\t<script >\n\t\t\t/* lazysizes */\n\t\t</script>\n</html>\n"
    return page


def jsoncpp(values: list[str], *, fast_writer: bool = False) -> str:
    """A JSON array as jsoncpp writes it in a release build: no indentation, non-ASCII as ``\\uXXXX``
    (``emitUTF8`` off), ``/`` not escaped; ``FastWriter`` (v1.8.0.10) adds a line end."""
    return json.dumps(values, ensure_ascii=True, separators=(",", ":")) + ("\n" if fast_writer else "")


_SCRIPTS = """    (function() {
        var msgArray = %%JSON_DATA%%;
        for (var idx = 0; idx < msgArray.length; idx++)
        {
          window.moreWechatMsgs.push(msgArray[idx]);
        }

        msgArray = null;
        loadMsgsForNextPage();
    })();



"""


_SCRIPTS17 = """  <script language="javascript">

    function loadMoreMsgs()
    {
      if (window.moreWechatMsgs.length == 0)
        {
          return;
        }
    }

    addEventListener('load', function (e)
    {
      window.moreWechatMsgs = %%JSONDATA%%;
      window.currentIndex = 0;
      window.setTimeout(loadMoreMsgs, 1000);
      // loadMoreMsgs();
    }, false);
  </script>
"""


def write_html_17(chats: Chat | Sequence[Chat], folder: Path, *, page_size: int | None = None,
                  desc: bool = False, attachments: bool = False) -> list[Path]:
    """HTML as v1.7.18 writes it (b74da57; the 1.7 templates with ``chat-left``/``media-left`` and
    ``span.name-left``, no ``msgtype`` values yet): ``<out>/<account>/<chat>.html``; with asynchronous
    loading the messages after the first ``page_size`` go, as JSON (``Json::FastWriter``), into the
    ``scripts`` template after ``</body>``: ``window.moreWechatMsgs = [...];``. (The ``scripts``
    template's rendering code is shortened.)"""
    chats, written = _as_list(chats), []
    account = folder / _account(chats)
    for chat in chats:
        msgs = rendered(chat, "1.7", False, desc=desc, attachments=attachments)
        first, rest = (msgs, []) if page_size is None or len(msgs) <= page_size else (msgs[:page_size], msgs[page_size:])
        loading = _SCRIPTS17.replace("%%JSONDATA%%", jsoncpp(rest, fast_writer=True)) if rest else ""
        _write(account / f"{chat.display_name}.html", _frame(chat, "1.7", "".join(first), loading=loading), written)
        _media(chat, account, "1.7", written, attachments)
    _html_lists(chats, folder, "1.7", written)
    return written


def write_html_18(chats: Chat | Sequence[Chat], folder: Path, *, page_size: int | None = None,
                  desc: bool = False, attachments: bool = False) -> list[Path]:
    """HTML as v1.7.19.2 – v1.8.0.10 write it (read at v1.8.0.10, a4ef645: ``Exporter::exportSession``):
    ``<out>/<account>/<chat>.html`` (+ ``<chat>_files/``). Synchronous loading (``page_size=None``)
    puts every message in the page; asynchronous loading keeps the first ``page_size`` (1000 in a
    release build; smaller here so a small chat spans pages) and puts the rest, as a JSON array of
    message markup (``Json::FastWriter``), into the page's script: ``window.moreWechatMsgs = [...];``."""
    chats, written = _as_list(chats), []
    account = folder / _account(chats)
    for chat in chats:
        msgs = rendered(chat, "1.8", False, desc=desc, attachments=attachments)
        first, rest = (msgs, []) if page_size is None or len(msgs) <= page_size else (msgs[:page_size], msgs[page_size:])
        json_data = jsoncpp(rest, fast_writer=True) if rest else "[]"
        loading = '  <script language="javascript">\n\n    \n\n  </script>\n' if rest else ""
        _write(account / f"{chat.display_name}.html",
               _frame(chat, "1.8", "".join(first), json_data=json_data, loading=loading), written)
        _media(chat, account, "1.8", written, attachments)
    _html_lists(chats, folder, "1.8", written)
    return written


def write_html_19(chats: Chat | Sequence[Chat], folder: Path, *, page_size: int | None = None,
                  desc: bool = False, attachments: bool = False) -> list[Path]:
    """HTML as v1.9.0.0 – v1.9.5.13 write it (read at v1.9.5.13, 474318a): ``<out>/<account>/<chat>.html``
    with the first ``page_size`` messages (all with synchronous loading, ``page_size=None``; 1000 in a
    release build with asynchronous loading); the rest in ``<chat>_files/Data/msg-N.js`` (``scripts``
    template, ``var msgArray = [...]``, jsoncpp without indentation)."""
    chats, written = _as_list(chats), []
    account = folder / _account(chats)
    for chat in chats:
        msgs = rendered(chat, "1.9", False, desc=desc, attachments=attachments)
        if page_size is None or len(msgs) <= page_size:
            first, pages = msgs, []
        else:
            first = msgs[:page_size]
            pages = [msgs[i:i + page_size] for i in range(page_size, len(msgs), page_size)]
        data_path = quote(f"{chat.display_name}_files", safe="") + "/Data"  # encodeUrl (curl_easy_escape)
        _write(account / f"{chat.display_name}.html",
               _frame(chat, "1.9", "".join(first), data_path=data_path, pages=len(pages),
                      msgs=len(msgs) - len(first)), written)
        for n, page in enumerate(pages, 1):
            _write(account / f"{chat.display_name}_files" / "Data" / f"msg-{n}.js",
                   _SCRIPTS.replace("%%JSON_DATA%%", jsoncpp(page)), written)
        _media(chat, account, "1.9", written, attachments)
    _html_lists(chats, folder, "1.9", written)
    return written


def write_html_196(chats: Chat | Sequence[Chat], folder: Path, *, page_size: int | None = None,
                   desc: bool = False, attachments: bool = False) -> list[Path]:
    """HTML as the 1.9.6.0 source writes it (8f8ce41): ``<out>/<account>/<chat>/index.html`` (+ ``Files/``).
    Synchronous loading (``page_size=None``) puts every message in the page. Asynchronous loading
    (the default: ``NumberPager`` of 1000, smaller here) leaves the page without messages and writes
    every page, the first included, to ``Files/Data/msg-N.js``; the page data goes to ``initPageData``."""
    chats, written = _as_list(chats), []
    account = folder / _account(chats)
    for chat in chats:
        msgs = rendered(chat, "1.9.6", False, desc=desc, attachments=attachments)
        base = account / chat.display_name
        if page_size is None:
            page = _frame(chat, "1.9.6", "".join(msgs), data_path="Files/Data", msgs=len(msgs), pages=1)
            (base / "Files" / "Data").mkdir(parents=True, exist_ok=True)
        else:
            pages = [msgs[i:i + page_size] for i in range(0, len(msgs), page_size)]
            page_data = json.dumps([{"numnberOfMsgs": len(p), "page": n, "text": str(n)} for n, p in enumerate(pages, 1)],
                                   ensure_ascii=True, separators=(",", ":"))
            page = _frame(chat, "1.9.6", "", data_path="Files/Data", msgs=len(msgs),
                          pages=(len(msgs) + 999) // 1000, page_data=page_data, loading="onscroll")
            for n, p in enumerate(pages, 1):
                _write(base / "Files" / "Data" / f"msg-{n}.js", _SCRIPTS.replace("%%JSON_DATA%%", jsoncpp(p)), written)
        _write(base / "index.html", page, written)
        _media(chat, base, "1.9.6", written, attachments)
    _html_lists(chats, folder, "1.9.6", written)
    _contacts(chats, folder, written)
    return written


#: Every layout: name → (writer, keyword arguments). The async layouts use a small page size.
LAYOUTS = {
    "txt-1.9": (write_txt_19, {}),
    "html-1.7": (write_html_17, {}),
    "html-1.7-async": (write_html_17, {"page_size": 12}),
    "txt-1.9.6": (write_txt_196, {}),
    "html-1.8": (write_html_18, {}),
    "html-1.8-async": (write_html_18, {"page_size": 12}),
    "html-1.9": (write_html_19, {}),
    "html-1.9-async": (write_html_19, {"page_size": 12}),
    "html-1.9.6": (write_html_196, {}),
    "html-1.9.6-async": (write_html_196, {"page_size": 12}),
}


def write_all(out: Path) -> dict[str, list[Path]]:
    """Both conversation chats in every layout, one folder each."""
    chats = [group_chat(), private_chat()]
    return {name: writer(chats, out / name, **kw) for name, (writer, kw) in LAYOUTS.items()}


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "wechat_exporter_out")
    for layout, files in write_all(target).items():
        print(f"{layout}: {len(files)} files")
