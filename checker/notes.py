"""The one place that knows what a private note to the writing team looks like as a line.

A draft is edited by a team, and lines meant for the team end up in the text:
``备注：数据请办公室核对后再定稿，不对外。``, ``说明：此段发布前删除``, a line that says only
``内部参考``. Such a line is not part of the text a reader sees: the parser makes it a
``note`` block (so structure checks neither count it as a paragraph nor find it cut off)
and L106 reports it once, as a whole. A note for readers (``注：以上数据截至2023年底。``)
asks nothing of the team and stays a paragraph.
"""

from __future__ import annotations

import regex

_WS = " \t\u3000"

# 备注：/说明：… followed by a request to the team (verify, finalise, delete, keep inside)
_LABELLED = regex.compile(
    r"^(?:备注|注|编者注|编辑注|作者注|批注|说明|提示|待办)[ \t\u3000]*[：:]"
    r"(?=.*?(?:(?:请|需|需要|待|有待|尚未|未经?|暂未|先|后再)[^，。；]{0,8}?"
    r"(?:核对|核实|核查|查证|确认|审定|定稿|修改|删除|删去|替换|更新|商榷|斟酌|推敲)"
    r"|不对外|勿外传|不外传|不公开|内部(?:参考|掌握|资料|使用)"
    r"|(?:发布|发表|定稿|印发|上传|上会)前))")
# a stamp on a line of its own: 内部参考 / 内部资料，请勿外传
_STAMP = regex.compile(
    r"^(?:仅供)?内部(?:参考|资料|材料|传阅|使用|掌握)"
    r"(?:[，,、 \t\u3000]*(?:请勿|不得|严禁|勿|注意)\p{Han}{0,4})?[。.]?$")


def is_private_note(line: str) -> bool:
    """True when ``line`` (one line of a draft) is a note addressed to the writing team."""
    text = line.strip(_WS)
    return bool(_LABELLED.match(text) or _STAMP.match(text))
