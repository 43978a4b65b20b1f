"""``gklint new-pack NAME --region 江苏省``: write a fresh regional rule pack to start from.

The pack is a complete distribution: ``pyproject.toml`` (entry point ``NAME`` in group
``gklint``), the package ``gklint_pack_NAME`` with its data file (the region it
serves and one example requirement), tests named after the package, a README and a
``.gitignore``.  Nothing is copied from gklint's source tree, so no build output of
another pack can come along.  See docs/writing-rule-packs.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from gklint.findings import Message

__all__ = ["new_pack_command", "write_pack"]

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_PREFIX = re.compile(r"^[A-Z]{2,4}$")


class PackError(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


def _region(name: str, code: str | None) -> tuple[str, str, str]:
    """(full name, code, province) of *name*: a provincial region, or a city/county given with *code*."""
    from gklint.regions import region_table
    from gklint.testing import standard_data

    table = region_table(standard_data())
    found = table.lookup(name)
    if found is not None and not code:
        return found.name, found.code, found.name
    if not code or not re.fullmatch(r"[0-9]{4}(?:[0-9]{2})?", code):
        known = "、".join(table.names())
        raise PackError(Message(
            f"“{name}”不是省级行政区划的名称；市、县的规则包请同时用 --code 给出行政区划代码的前 4 或 6 位"
            f"（如 --region 淮安市 --code 3208）。省级地区：{known}",
            f"{name!r} is not a provincial-level region; for a city or county pack give --code with the first 4 or 6 "
            f"digits of its 行政区划代码 (e.g. --region 淮安市 --code 3208). Provinces: {known}"))
    province = table.get(code[:2])
    if province is None:
        raise PackError(Message(f"行政区划代码 {code} 的前两位不是省级代码", f"code {code} does not start with a province's code"))
    return name, code, province.name


def _files(name: str, region: str, code: str, province: str, prefix: str) -> dict[str, str]:
    module = "gklint_pack_" + name.replace("-", "_")
    dist = f"gklint-pack-{name}"
    city = len(code) > 2
    region_block = f'name = "{region}"\ncode = "{code}"\n'
    if city:
        region_block += (f'# 本地的电话区号和邮政编码前缀（帮助 gklint 判断报告属于{region}）：\n'
                         '# area_codes = ["0517"]\n# postcodes = ["223"]\n')
    region_block += (f'# 补充判断用的地名（下辖的市、县、区），写在地址或机关名称中时帮助判断报告属于{region}：\n'
                     '# places = ["某某市", "某某县"]\n')
    data = f'''# {dist} 的数据文件。全部可用的键见 gklint 的 docs/writing-rule-packs.md（“数据文件参考”）。
# Data file of {dist}; the keys are described in gklint's docs/writing-rule-packs.en.md.

# -- 本包服务的地区：本文件的要求和本包的规则只对{region}的报告生效 -----------------------------------
# gklint 根据报告中的机关名称、地址、电话区号和邮政编码判断报告所属地区（gklint inspect 报告 显示依据）；
# 也可以用配置 region = "{region}" 或命令行 --region {region} 指定。
[region]
{region_block}
# -- 示例要求（请改成本地区的要求，或删去）----------------------------------------------------------
# “六、其他需要报告的事项”中应有标题含“政务公开工作要点”的小标题；缺少时由全国规则 GK108 报告，
# 结果注明“（{region}规则包）”。
[[required_subitems]]
id = "{prefix}-work-points"
section = "other"
heading = ["政务公开工作要点"]
name = {{ zh = "落实上级年度政务公开工作要点情况", en = "how the year's work points were carried out" }}

# 其他常用的要求（去掉行首的 # 即可生效）：
#
# 联系电话须用本地区号（GK508）：
# [contact_constraints]
# area_codes = ["0510", "0511"]
#
# 提到某事项时须引用某个文件（GK410），文件先在 [[citations]] 中登记：
# [[citations]]
# key = "{prefix}-FEE"
# status = "verified"
# kind = "notice"
# title = "××省人民政府办公厅关于……的通知"
# issuer = "××省人民政府办公厅"
# numbers = ["×政办字〔2020〕1号"]
#
# [[required_mentions]]
# id = "{prefix}-fee-notice"
# when = ["信息处理费"]
# cite = "{prefix}-FEE"
'''
    rules = f'''# {dist} 自己的规则（Python 规则）的声明，由 gklint.declare.load_rules 读取；写法见 gklint 的
# docs/writing-rule-packs.md 第 4 节。Declarations of the pack's own rules (docs/writing-rule-packs.en.md, section 4).
# 每条规则一个 [[rule]]，其检查函数 check(doc, context) 写在 module 指明的模块中（本目录下的 .py 文件）。

[family]
id = "{prefix}1"
name.zh = "{region}"
name.en = "{name}"

# [[rule]]
# id = "{prefix}101"
# name = "problems-too-short"
# severity = "warning"
# module = "problems_length"          # src/{module}/problems_length.py 中的 check(doc, context)
# short.zh = "“存在的主要问题及改进情况”过于简短"
# short.en = "the problems section is too short"
# full.zh = "……"
# full.en = "…"
# help.zh = "……"
# help.en = "…"
# source.zh = "依据的文件标题和文号，或“通行做法”"
# source.en = "the document it rests on, or common practice"
# reason.zh = "为什么是这个级别"
# reason.en = "why this severity"
'''
    init = f'''"""gklint 规则包：{region} (gklint rule pack for {region}).

数据：``{name}.toml`` 声明本包服务的地区和本地区的要求，由 gklint 的全国规则检查。
规则：``rules.toml`` 声明本包自己的规则（新建时没有），每条规则的检查函数写在它指明的模块中。
Data: ``{name}.toml`` declares the region and its requirements; gklint's national rules check them.
Rules: ``rules.toml`` declares the pack's own rules (none yet), each checked by the module it names.
Python 规则的写法见 gklint 的 docs/writing-rule-packs.md 第 4 节。
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from gklint import hookimpl
from gklint.declare import load_rules
from gklint.rule import Rule

#: The gklint plugin-API major version this pack is written for.
GKLINT_API_VERSION = "1"


@hookimpl
def gklint_rules() -> list[Rule]:
    return list(load_rules(__name__))


@hookimpl
def gklint_data_files() -> list[Traversable]:
    return [resources.files(__name__) / "{name}.toml"]
'''
    pyproject = f'''[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "gklint 规则包：{region} (gklint rule pack for {region})"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["gklint>=0.1"]

# 入口点组必须是 gklint；等号左边是插件名（配置 [tool.gklint.plugins.{name}]、--disable-plugin {name}）。
[project.entry-points.gklint]
{name} = "{module}"

[project.optional-dependencies]
test = ["pytest>=8"]

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
{module} = ["*.toml"]

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "--import-mode=importlib"
'''
    other = "福建省" if province != "福建省" else "江苏省"
    tests = f'''"""{dist}：对{region}的报告生效，对其他地区的报告不生效；你自己的报告放在 tests/reports/ 下。

Run after installing the pack: ``python -m pip install -e ".[test]"`` then ``python -m pytest``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gklint import lint_path, lint_text
from gklint.api import Linter
from gklint.testing import regional_report

PLUGIN = "{name}"
REGION = "{region}"
PROVINCE = "{province}"
OTHER = "{other}"
WORK_POINTS = "（一）落实上级年度政务公开工作要点情况\\n按照年度政务公开工作要点，逐项抓好落实。\\n"
REPORTS = sorted((Path(__file__).parent / "reports").glob("*.txt"))


def _ours(result) -> list[str]:
    """This pack's findings (rule ids); they carry the pack's name."""
    return [f.rule_id for f in result.findings if f.pack == PLUGIN]


#: A province pack is found from the report itself; a city or county pack is given its region here
#: (the example reports name the province only).
SET = {{}} if REGION == PROVINCE else {{"region": REGION}}


def test_the_pack_is_installed() -> None:
    linter = Linter()
    assert not linter.notifications, [n.message.zh for n in linter.notifications]
    info = linter.plugin_set.info(PLUGIN)
    assert info is not None and info.loaded and info.region == REGION


def test_fires_on_a_report_of_its_region() -> None:
    result = lint_text(regional_report(PROVINCE), **SET)
    assert _ours(result) == ["GK108"]
    assert "政务公开工作要点" in next(f for f in result.findings if f.pack == PLUGIN).message.zh


def test_quiet_when_the_requirement_is_met() -> None:
    text = regional_report(PROVINCE).replace("六、其他需要报告的事项\\n", "六、其他需要报告的事项\\n" + WORK_POINTS)
    assert _ours(lint_text(text, **SET)) == []


def test_quiet_on_a_report_of_another_region() -> None:
    result = lint_text(regional_report(OTHER))  # the region is worked out from the report
    assert result.region == OTHER
    assert _ours(result) == []


@pytest.mark.parametrize("path", REPORTS, ids=[p.name for p in REPORTS])
def test_own_reports(path: Path) -> None:
    """Correct reports of the region: the pack finds nothing (put them in tests/reports/)."""
    result = lint_path(path, region=REGION)
    assert _ours(result) == [], [f.message.zh for f in result.findings if f.pack == PLUGIN]
'''
    readme = f'''# {dist}

gklint 规则包：{region}。安装后 gklint 自动加载（插件名 `{name}`），只对{region}的报告生效。

```sh
python -m pip install -e ".[test]"    # 在虚拟环境中，于本目录执行
gklint --list-plugins                 # 应看到 {name}，地区 {region}
python -m pytest                      # 运行本包的测试
```

- `src/{module}/{name}.toml`：数据文件。`[region]` 声明本包服务的地区；下面是本地区的要求（示例要求请改写或删去）。
- `src/{module}/rules.toml`：本包自己的规则的声明（新建时没有规则，注释中有一条示例）；每条规则的检查函数写在它的 `module` 指明的模块中。
- `tests/test_{name.replace("-", "_")}.py`：测试。把本地区写得正确的报告（.txt）放在 `tests/reports/` 下，测试会确认本包对它们不报告。

gklint 根据报告中的机关名称、地址、电话区号和邮政编码判断报告所属地区（`gklint inspect 报告.txt` 显示依据）；
判断不出时可用配置 `region = "{region}"` 或 `gklint --region {region}` 指定。说明见 gklint 的 docs/writing-rule-packs.md。

## English

A gklint rule pack for {region} (plugin `{name}`); it applies to reports of {region} only.
Install it into your virtual environment with `python -m pip install -e ".[test]"`, check
`gklint --list-plugins`, run `python -m pytest`. The data file `src/{module}/{name}.toml`
declares the region (`[region]`) and the requirements; `src/{module}/rules.toml` declares
the pack's own rules (none yet), each checked by the module it names. Put correct reports of the
region in `tests/reports/` to test the pack against them. See gklint's docs/writing-rule-packs.en.md.
'''
    gitignore = "build/\ndist/\n*.egg-info/\n__pycache__/\n.pytest_cache/\n"
    return {
        "pyproject.toml": pyproject,
        "README.md": readme,
        ".gitignore": gitignore,
        f"src/{module}/__init__.py": init,
        f"src/{module}/{name}.toml": data,
        f"src/{module}/rules.toml": rules,
        f"tests/test_{name.replace('-', '_')}.py": tests,
        "tests/reports/.gitkeep": "",
    }


def write_pack(name: str, region: str, *, directory: Path | None = None, code: str | None = None,
               prefix: str | None = None) -> Path:
    """Write the pack ``gklint-pack-NAME`` under *directory* (the current one) and return its folder."""
    if not _NAME.match(name):
        raise PackError(Message(f"包名“{name}”无效：用小写字母、数字和连字符，如 jiangsu、huaian-city",
                                f"invalid pack name {name!r}: use lower-case letters, digits and hyphens, like jiangsu"))
    prefix = (prefix or name.replace("-", "")[:2]).upper()
    if not _PREFIX.match(prefix) or prefix == "GK":
        raise PackError(Message(f"规则编号前缀“{prefix}”无效：2 至 4 个大写字母，不能是 GK（用 --prefix 指定）",
                                f"invalid rule prefix {prefix!r}: 2-4 upper-case letters, not GK (set it with --prefix)"))
    full, region_code, province = _region(region, code)
    target = (directory or Path.cwd()) / f"gklint-pack-{name}"
    if target.exists():
        raise PackError(Message(f"{target} 已存在，不会覆盖", f"{target} already exists; not overwritten"))
    for rel, text in _files(name, full, region_code, province, prefix).items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("name", metavar="NAME")
@click.option("--region", required=True, metavar="NAME", help="本包服务的地区，如 江苏省 (the region the pack serves)")
@click.option("--code", metavar="DIGITS", help="市、县的行政区划代码前 4 或 6 位 (code of a city or county)")
@click.option("--prefix", metavar="XX", help="规则编号和数据 id 的前缀，默认取包名前两个字母 (rule prefix)")
@click.option("--dir", "directory", metavar="DIR", help="在此目录下创建（默认当前目录） (where to create it)")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="消息语言 (message language)")
@click.pass_context
def new_pack_command(ctx: click.Context, name: str, region: str, code: str | None, prefix: str | None,
                     directory: str | None, lang: str | None) -> None:
    """新建一个地区规则包：包、数据文件、地区、测试和说明 (write a new regional rule pack)."""
    lang = lang or str(getattr(ctx.obj, "lang", "zh"))
    try:
        target = write_pack(name, region, directory=Path(directory) if directory else None, code=code, prefix=prefix)
    except PackError as exc:
        click.echo(f"gklint: {'error' if lang == 'en' else '错误'}: {exc.message.get(lang)}", err=True)
        ctx.exit(2)
    if lang == "en":
        click.echo(f"wrote {target}\nnext: cd {target} && python -m pip install -e \".[test]\" && python -m pytest")
    else:
        click.echo(f"已创建 {target}\n下一步：cd {target} && python -m pip install -e \".[test]\" && python -m pytest")
