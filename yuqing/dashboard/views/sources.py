"""数据源: every source's unit, last post, volume, failures and health; assign pending chats;
upload export files and import them (yuqing.crawler.importer.import_paths)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import streamlit as st

from yuqing.dashboard import charts, drill, queries, session
from yuqing.dashboard.links import search_link
from yuqing.dashboard.safe_text import local_time
from yuqing.errors import YuqingError
from yuqing.schema import SOURCE_STATUS_LABELS, SourceStatus

user = session.require_login()
cfg = session.config()
tree = session.org()
_since, scope, _period = session.sidebar_filters(user)


def health(row: dict, now: datetime) -> str:
    if row["status"] == SourceStatus.PENDING:
        return "待分配单位"
    if row["failures"]:
        return f"近7天采集失败 {row['failures']} 次"
    if row["last_post_at"] is None or row["last_post_at"] < now - timedelta(days=3):
        return "3天以上无新帖"
    return "正常"




def uploader_in_chinese() -> None:
    """Streamlit's file uploader says "Upload" and "200MB per file" and lets nobody set them: our
    own style sheet shows them in Chinese (the size is the server's real limit)."""
    limit = int(st.get_option("server.maxUploadSize"))
    st.html(f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzoneInstructions"] small {{
  font-size: 0 !important; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "拖放文件到这里，每个文件不超过 {limit}MB";
  font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzone"] button > * {{ display: none !important; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: "选择文件"; font-size: 0.875rem; }}
</style>""")


st.title("数据源")
now = datetime.now(timezone.utc)
rows = queries.source_health(scope)
# 健康 next to the name (it is what the page is for), the long last error at the end
drill.table(pd.DataFrame([{
    "名称": r["name"], "健康": health(r, now), "单位": tree.name(r["unit"]) if r["unit"] else "未分配",
    "类型": charts.kind_label(r["kind"]), "状态": SOURCE_STATUS_LABELS.get(r["status"], r["status"]),
    "最新帖子": local_time(r["last_post_at"], cfg.tz), "近7天帖子": r["recent_posts"], "帖子总数": r["total_posts"],
    "近7天失败": r["failures"], "最近错误": r["last_error"] or "",
    drill.LINK: search_link(source=[r["id"]]) if r["total_posts"] else "",
} for r in rows], columns=["名称", "健康", "单位", "类型", "状态", "最新帖子", "近7天帖子", "帖子总数", "近7天失败", "最近错误",
                           drill.LINK]), key="sources_table", what="数据源", user=user, tz=cfg.tz,
    column_config={"名称": st.column_config.TextColumn("名称", width="medium"),
                   "健康": st.column_config.TextColumn("健康", width="medium", pinned=True),
                   "最近错误": st.column_config.TextColumn("最近错误", width="large")})

if user.can_edit:
    pending = [r for r in rows if r["status"] == SourceStatus.PENDING]
    st.subheader("分配待定群聊")
    if not pending:
        st.info("没有待分配的数据源。")
    else:
        with st.form("assign_form"):
            names = {r["id"]: r["name"] for r in pending}
            src = st.selectbox("数据源", list(names), format_func=names.get, key="assign_source")
            unit = st.selectbox("分配给单位", list(tree.units), format_func=tree.path_name, key="assign_unit")
            if st.form_submit_button("分配"):
                moved = session.store().assign_source(src, unit)
                session.store().audit(user.username, "source_assigned", src, {"unit": unit, "posts": moved})
                queries.clear()
                st.success(f"已分配，{moved} 条帖子随之归入 {tree.name(unit)}")

    st.subheader("上传导出文件")
    st.caption("微信聊天记录导出（MemoTrace/PyWxDump 等）、公众号文章导出；已导入过的文件不会重复导入。")
    uploader_in_chinese()
    files = st.file_uploader("选择文件", accept_multiple_files=True, key="upload_files")
    if files and st.button("导入", key="upload_import"):
        from yuqing.crawler.importer import import_paths

        folder = cfg.data_dir / "uploads" / datetime.now(cfg.tz).strftime("%Y%m%d-%H%M%S")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            paths = []
            for f in files:
                path = folder / (Path(f.name).name.lstrip(".") or "upload")
                path.write_bytes(f.getvalue())
                paths.append(path)
            report = import_paths(session.store(), cfg, paths)
        except OSError as exc:  # its message would name the server's folders
            st.error(f"导入失败：无法保存上传的文件（{exc.strerror or type(exc).__name__}）")
        except YuqingError as exc:
            st.error(f"导入失败：{exc}")
        else:
            session.store().audit(user.username, "files_imported", str(folder),
                                  {"files": [p.name for p in paths], "posts": report.posts})
            queries.clear()
            st.success(report.summary())
