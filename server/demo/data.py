"""Reference data for the demo district: an inner-city street of Hangzhou's Gongshu district.

The community names follow the pattern of that street's real communities; every person, phone
number and address is invented.
"""

DISTRICT = {"name": "拱墅区", "city": "杭州市"}
STREET = "米市巷街道"
OTHER_STREET = "湖墅街道"

# (name, lat, lng): spread over ~3 km, as the street's communities are.
COMMUNITIES = [
    ("卖鱼桥社区", 30.2968, 120.1523),
    ("左家新村社区", 30.2931, 120.1587),
    ("珠儿潭社区", 30.3005, 120.1562),
    ("米市巷社区", 30.2903, 120.1631),
    ("大兜路社区", 30.2958, 120.1661),
    ("潮王社区", 30.3047, 120.1618),
    ("星光社区", 30.3012, 120.1702),
    ("江涨桥社区", 30.2879, 120.1549),
    ("仓基社区", 30.2920, 120.1704),
    ("登云社区", 30.3083, 120.1547),
]
OTHER_COMMUNITIES = [
    ("湖墅新村社区", 30.2842, 120.1602),
    ("德胜新村社区", 30.3121, 120.1675),
]

UNITS = [
    ("区委组织部机关党支部", "机关"),
    ("区人民医院党委", "事业单位"),
    ("区人民法院党组", "机关"),
    ("区教育局机关党委", "机关"),
    ("区司法局党支部", "机关"),
    ("区市场监管局党支部", "机关"),
    ("区消防救援大队党委", "机关"),
    ("城区供电公司党委", "国有企业"),
    ("区第二实验小学党支部", "事业单位"),
    ("社区卫生服务中心党支部", "事业单位"),
]

# (code, name, category)
SKILLS = [
    ("appliance_repair", "电器维修", "维修"),
    ("plumbing", "水电维修", "维修"),
    ("lamp_fix", "灯具安装", "维修"),
    ("haircut", "理发", "生活服务"),
    ("health_check", "健康检查", "医疗健康"),
    ("blood_pressure", "量血压", "医疗健康"),
    ("legal_advice", "法律咨询", "法律"),
    ("counselling", "心理疏导", "关爱"),
    ("elder_care", "助老陪护", "关爱"),
    ("tutoring", "课业辅导", "教育"),
    ("phone_help", "手机使用教学", "教育"),
    ("errands", "代购跑腿", "生活服务"),
    ("cleaning", "家政保洁", "生活服务"),
    ("moving", "搬运", "生活服务"),
    ("calligraphy", "书法春联", "文化"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武"
GIVEN = ["建国", "秀英", "桂英", "志强", "丽华", "海燕", "伟", "芳", "娜", "敏", "静", "磊",
         "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "玉兰",
         "文", "辉", "红梅", "建华", "国庆", "淑珍", "子涵", "浩然", "雨萱", "思远", "晓东"]
ROADS = ["湖墅南路", "大兜路", "米市巷", "卖鱼桥直街", "左家新村", "小河路", "潮王路",
         "登云路", "江涨桥路", "仓基新村"]

# (role, openid, what it is for) — log in with code fake:<openid>:<any nonce>.
DEMO_LOGINS = [
    ("resident", "demo-resident", "王秀英, resident of 卖鱼桥社区 (community 1)"),
    ("volunteer", "demo-volunteer", "李建国, active volunteer reporting to 卖鱼桥社区"),
    ("secretary", "demo-secretary", "陈丽华, secretary of 卖鱼桥社区 (community 1)"),
    ("secretary", "demo-street-secretary", "周海燕, secretary of the whole 米市巷街道"),
    ("admin", "demo-admin", "赵志强, 拱墅区 organisation department"),
    ("applicant", "demo-applicant", "孙敏, has applied to volunteer in 卖鱼桥社区 (pending)"),
    # donations (issue 14)
    ("station_keeper", "demo-keeper", "周站长, keeper of 卖鱼桥社区爱心捐助站 (station 1)"),
    # care fund and casework (server/demo/care.py)
    ("unit_secretary", "demo-unit-secretary", "钱卫东, secretary of the first unit's party "
                                              "organisation (its members' assistance cases)"),
    ("fund_officer", "demo-fund-officer", "孙红梅, care fund treasurer of the district"),
    ("leading_group", "demo-leading-group", "李国强, 帮扶领导小组 of the district"),
]
