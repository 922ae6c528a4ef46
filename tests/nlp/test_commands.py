import csv
import json

from click.testing import CliRunner

from yuqing.cli import main


def _run(args, small_models, tmp_path, input=None):
    env = {"YUQING_NLP_MODELS_DIR": str(small_models), "YUQING_DATA_DIR": str(tmp_path)}
    return CliRunner().invoke(main, args, input=input, env=env)


def test_classify_round_trip_on_json_lines(small_models, tmp_path):
    lines = [{"id": "a1", "text": "三个月没发工资了，明天大家一起到矿部门口讨个说法"},
             {"id": 7, "text": "金秋助学金到账了，感谢工会[强]"},
             {"id": "a3", "text": ""}]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\nnot json\n"
    res = _run(["classify"], small_models, tmp_path, input=stdin)
    assert res.exit_code == 0, res.output
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a1", 7, "a3", None]
    for o in out[:3]:
        assert set(o) == {"id", "sentiment", "sentiment_scores", "topic", "topics", "risk", "keywords"}
        assert abs(sum(o["sentiment_scores"].values()) - 1) < 1e-9
    assert out[0]["risk"] == "high" and out[1]["sentiment"] == "positive"
    assert out[3]["line"] == 5 and "JSON" in out[3]["error"]


def test_classify_reads_a_file(small_models, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "x", "text": "班中餐太差了"}\n', encoding="utf-8")
    res = _run(["classify", str(f)], small_models, tmp_path)
    assert res.exit_code == 0 and json.loads(res.stdout)["id"] == "x"


def test_missing_models_give_one_line_error(tmp_path):
    res = CliRunner().invoke(main, ["classify"], input="{}\n",
                             env={"YUQING_NLP_MODELS_DIR": str(tmp_path / "none"), "YUQING_DATA_DIR": str(tmp_path)})
    assert res.exit_code == 1
    assert "yuqing train" in res.output and "Traceback" not in res.output


def test_eval_prints_accuracy_report_and_confusion(small_models, tmp_path):
    f = tmp_path / "labelled.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        w.writerows([["工资拖欠三个月了，太寒心了", "0"], ["慰问品发到家里了，暖心", "1"], ["食堂饭菜太难吃", "0"]])
    res = _run(["eval", str(f)], small_models, tmp_path)
    assert res.exit_code == 0, res.output
    assert "样本数 3 " in res.output and "准确率 " in res.output and "macro-F1 " in res.output and "混淆矩阵" in res.output
    res = _run(["eval", "--json", str(f)], small_models, tmp_path)
    m = json.loads(res.stdout)
    assert m["n"] == 3 and m["labels"] == ["negative", "positive"]
    assert sum(map(sum, m["confusion"])) == 3


def test_analyze_redo_reanalyses_every_post_once(small_models, tmp_path):
    import sqlite3

    from benchmarks.import_memotrace import write_csv

    csv_path = tmp_path / "exports" / "大群(5@chatroom)" / "大群.csv"
    write_csv(csv_path, 40)
    assert _run(["import", str(csv_path)], small_models, tmp_path).exit_code == 0
    first = _run(["analyze"], small_models, tmp_path)
    assert first.exit_code == 0, first.output
    db = tmp_path / "yuqing.db"

    def counts():
        with sqlite3.connect(db) as c:
            return (c.execute("SELECT COUNT(*) FROM posts WHERE analyzed_at IS NOT NULL").fetchone()[0],
                    c.execute("SELECT COALESCE(SUM(size), 0) FROM events").fetchone()[0])

    analysed, in_events = counts()
    assert analysed > 0 and in_events == analysed
    again = _run(["analyze"], small_models, tmp_path)  # nothing new: nothing analysed
    assert "分析 0 条帖子" in again.output
    redo = _run(["analyze", "--redo"], small_models, tmp_path)
    assert redo.exit_code == 0, redo.output
    assert f"已清除 {analysed} 条" in redo.output and f"分析 {analysed} 条帖子" in redo.output
    assert counts() == (analysed, analysed)  # events rebuilt, not double-counted


def test_classify_reads_gb18030_and_bom_files_and_reports_undecodable_lines(small_models, tmp_path):
    line = '{"id": "g", "text": "工资拖欠三个月了，明天去矿部门口讨说法"}\n'
    gb = tmp_path / "gb.jsonl"
    gb.write_bytes(line.encode("gb18030") + b'{"id": "bad", "text": "\xff\xfe\x80"}\n' + line.encode("gb18030"))
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + line.encode("utf-8"))
    res = _run(["classify", str(gb)], small_models, tmp_path)
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["g", None, "g"]
    assert out[0]["topic"] and "编码" in out[1]["error"] and out[1]["line"] == 2
    assert res.exit_code == 0 and "1 行无法读取" in res.stderr  # the good lines are the output; the bad one is named
    res = _run(["classify", str(bom)], small_models, tmp_path)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["id"] == "g"


def test_eval_reads_a_gb18030_csv(small_models, tmp_path):
    f = tmp_path / "labelled_gb.csv"
    f.write_bytes("text,label\n工资拖欠三个月了，太寒心了,0\n慰问品发到家里了，暖心,1\n".encode("gb18030"))
    res = _run(["eval", "--json", str(f)], small_models, tmp_path)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["n"] == 2


def test_classify_survives_half_an_emoji(small_models, tmp_path):
    # a broken export can carry a lone UTF-16 surrogate (\ud83d) that JSON happily decodes
    res = _run(["classify"], small_models, tmp_path, input='{"id": "\\ud83dx", "text": "\\ud83d工资拖欠了"}\n')
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["id"] == "\ufffdx" and out["topic"]
