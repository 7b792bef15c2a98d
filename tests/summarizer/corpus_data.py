"""A small feed written for these tests: two storms, two monthly jobs reports and a bridge reopening, each told by
two or three outlets, plus a syndicated copy and an unrelated brief. Similar events differ in names, numbers and
dates, as real ones do."""

from __future__ import annotations

from pathlib import Path

FEED = {
    # Storm Alma, early September
    "f01.txt": """Title: Storm Alma makes landfall near Port Vell
Date: 2024-09-02
Outlet: Coastal Times

Storm Alma made landfall near Port Vell on Monday with winds of 140 km/h, the regional weather office said.
About 12,000 residents were evacuated from low-lying districts before the storm arrived.
""",
    "f02.txt": """Title: Thousands evacuated as Alma hits Port Vell
Date: 2024-09-02
Outlet: Daily Ledger

Some 12,000 people left their homes in Port Vell as Storm Alma came ashore on Monday.
The weather office measured gusts of 140 km/h along the harbour.
""",
    "f03.txt": """Title: Alma knocks out power across Vell province
Date: 2024-09-03
Outlet: Morning Post

Storm Alma left 80,000 homes in Vell province without power after it struck Port Vell on Monday, the utility said.
Repair crews expect to restore supply by Thursday.
""",
    # Storm Bruno, three weeks later, another coast
    "f04.txt": """Title: Storm Bruno floods Santa Mira harbour
Date: 2024-09-24
Outlet: Coastal Times

Storm Bruno flooded the harbour of Santa Mira on Tuesday, and 3,500 people were moved to shelters, officials said.
Rainfall reached 210 millimetres in 24 hours.
""",
    "f05.txt": """Title: Bruno brings record rain to Santa Mira
Date: 2024-09-24
Outlet: Daily Ledger

Santa Mira recorded 210 millimetres of rain in a day as Storm Bruno stalled over the coast on Tuesday.
About 3,500 residents spent the night in shelters.
""",
    # Jobs report, March figures
    "f06.txt": """Title: Employers add 303,000 jobs in March
Date: 2024-04-05
Outlet: Business Wire Daily

Employers added 303,000 jobs in March, the Labor Department said on Friday, well above forecasts.
The unemployment rate fell to 3.8 percent.
""",
    "f07.txt": """Title: Hiring beats forecasts in March as jobless rate dips to 3.8%
Date: 2024-04-05
Outlet: Morning Post

The economy created 303,000 jobs in March and unemployment slipped to 3.8 percent, government figures showed.
Economists had expected about 200,000 new jobs.
""",
    # Jobs report, April figures, a month later
    "f08.txt": """Title: Hiring slows in April with 175,000 jobs added
Date: 2024-05-03
Outlet: Business Wire Daily

Employers added 175,000 jobs in April, fewer than expected, the Labor Department said on Friday.
The unemployment rate rose to 3.9 percent.
""",
    "f09.txt": """Title: April payrolls grow by 175,000 as unemployment edges up
Date: 2024-05-03
Outlet: Daily Ledger

Payrolls grew by 175,000 in April and the jobless rate edged up to 3.9 percent, government data showed.
Wage growth also cooled.
""",
    # a syndicated copy of f09 under another name
    "f10.txt": """Title: April payrolls grow by 175,000 as unemployment edges up
Date: 2024-05-03
Outlet: Regional Herald

Payrolls grew by 175,000 in April and the jobless rate edged up to 3.9 percent, government data showed.
Wage growth also cooled.
""",
    # unrelated brief
    "f11.txt": """Title: Museum of Lenz reopens its glass wing
Date: 2024-06-11
Outlet: Morning Post

The Museum of Lenz reopened its glass wing on Tuesday after a two-year restoration costing 6 million euros.
""",
}

STORIES = [{"f01.txt", "f02.txt", "f03.txt"}, {"f04.txt", "f05.txt"}, {"f06.txt", "f07.txt"},
           {"f08.txt", "f09.txt", "f10.txt"}]
UNASSIGNED = {"f11.txt"}

# Two more articles that arrive later: one extends Storm Bruno, one starts a story of its own with f12.
LATER = {
    "g01.txt": """Title: Santa Mira begins clean-up after Storm Bruno
Date: 2024-09-25
Outlet: Morning Post

Residents of Santa Mira began clearing mud on Wednesday after Storm Bruno dropped 210 millimetres of rain on the harbour.
Most of the 3,500 people in shelters returned home.
""",
    "g02.txt": """Title: Lenz glass wing draws 5,000 visitors on first weekend
Date: 2024-06-16
Outlet: Daily Ledger

The restored glass wing of the Museum of Lenz drew 5,000 visitors on its first weekend after reopening on Tuesday.
""",
}


def write_feed(folder: Path, articles: dict[str, str] = FEED) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
